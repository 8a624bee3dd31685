import importlib.util
import sys
import traceback
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from odoo import SUPERUSER_ID, fields
from odoo.tests import HttpCase, new_test_user
from odoo.tests import common as odoo_common

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.jobrunner.runner import Database
from odoo.addons.queue_job.tests.common import JobMixin


def load_simulator():
    """The ERP simulator of the repository's tests/ (one copy for tests and benchmark)."""
    if "complaint_erp_simulator" in sys.modules:
        return sys.modules["complaint_erp_simulator"]
    path = Path(__file__).resolve().parents[2] / "tests" / "erp_simulator.py"
    spec = importlib.util.spec_from_file_location("complaint_erp_simulator", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["complaint_erp_simulator"] = module
    spec.loader.exec_module(module)
    return module


class JobRunner:
    """Runs stored queue_job jobs in the test transaction, one by one, as
    queue_job's controller (``RunJobController._runjob``) does: started,
    performed, then done, postponed on RetryableJobError or failed with the
    job function's on-fail hook; a job's work is rolled back when it fails.
    ``crash`` runs a job and loses its transaction (a killed server) and
    ``requeue_dead`` applies the runner's own dead-job query."""

    def __init__(self, env):
        self.env = env(user=SUPERUSER_ID)  # as queue_job's controller
        self.errors = []

    def jobs(self, ignore_eta=True):
        domain = [("state", "in", ("pending", "enqueued"))]
        if not ignore_eta:
            domain += ["|", ("eta", "=", False), ("eta", "<=", fields.Datetime.now())]
        return self.env["queue.job"].search(domain, order="priority, date_created, id")

    def perform(self, record):
        env = self.env
        job = Job.load(env, record.uuid)
        job.set_started()
        job.store()
        try:
            with env.cr.savepoint():
                job.perform()
                env.flush_all()
        except RetryableJobError as err:
            job.postpone(result=str(err), seconds=err.seconds)
            job.set_pending(reset_retry=False)
            job.store()
            return "retry"
        except Exception as exc:
            values = {
                "exc_info": traceback.format_exc(),
                "exc_name": type(exc).__name__,
                "exc_message": str(exc),
            }
            self.errors.append(values["exc_info"])
            job.set_failed(**values)
            job.store()
            job.on_fail(values)
            env.flush_all()
            return "failed"
        job.set_done()
        job.store()
        env.flush_all()
        return "done"

    def drain(self, rounds=200, ignore_eta=True):
        """Run jobs until none is left to run; return {outcome: count}."""
        outcomes = {}
        for __ in range(rounds):
            jobs = self.jobs(ignore_eta=ignore_eta)
            if not jobs:
                break
            for record in jobs:
                outcome = self.perform(record)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes

    def crash(self, record):
        """Start a job and kill the server while it runs: whatever it did to
        the ERP happened, its transaction is lost, the job stays 'started'."""
        env = self.env
        job = Job.load(env, record.uuid)
        job.set_started()
        job.store()
        env.flush_all()
        env.cr.execute(
            "UPDATE queue_job SET date_enqueued = now() at time zone 'utc' - interval '1 minute'"
            " WHERE uuid = %s",
            (record.uuid,),
        )
        savepoint = env.cr.savepoint()
        try:
            job.perform()
            env.flush_all()
        except Exception:
            pass
        savepoint.close(rollback=True)
        env.invalidate_all()

    def requeue_dead(self):
        """The job runner's requeue of dead jobs, after the restart."""
        self.env.flush_all()
        self.env.cr.execute(Database._query_requeue_dead_jobs(None))
        self.env.invalidate_all()
        return [uuid for (uuid,) in self.env.cr.fetchall()]


class ErpSyncCommon(AccountTestInvoicingCommon, JobMixin):
    """A company with a chart of accounts, an ERP simulator on loopback with
    its own data, and a backend pointing at it (short timeouts)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.env.user.groups_id += cls.env.ref("complaint_base.group_complaint_manager")
        simulator = load_simulator()
        cls.sim = simulator.ErpSimulator(token="sim-token", slow_seconds=1.0)
        cls.sim.start()
        cls.addClassCleanup(cls.sim.stop)
        cls.manager = new_test_user(
            cls.env,
            login="erp_manager",
            groups="base.group_user,complaint_base.group_complaint_manager",
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        cls.user = new_test_user(
            cls.env,
            login="erp_user",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.backend = cls.env["complaint.erp.backend"].create(
            {
                "name": "Simulated ERP",
                "base_url": cls.sim.url,
                "auth_type": "token",
                "token": "sim-token",
                "connect_timeout": 0.5,
                "read_timeout": 0.5,
                "batch_size": 2,
                "webhook_secret": "test-secret",
            }
        )
        cls.type_complaint = cls.env.ref("complaint_base.complaint_type_complaint")

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Odoo's tests stretch every HTTP timeout to 10 s; the simulator's
        timeouts are the subject here, so requests to it keep theirs."""
        if urlparse(r.url).port == cls.sim.port and urlparse(r.url).hostname == "127.0.0.1":
            return odoo_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.runner = JobRunner(self.env)
        if not self.sim.running:
            self.sim.start()
        self.sim.faults.clear()
        self.sim.reject_numbers.clear()
        self.sim.requests.clear()
        self.sim.applied.clear()
        self.sim.messages.clear()
        for entity in self.sim.data.values():
            entity.clear()

    # helpers
    def import_full(self, backend=None):
        (backend or self.backend).action_import_full()
        return self.runner.drain()

    def import_changes(self, backend=None):
        (backend or self.backend).action_import_incremental()
        return self.runner.drain()

    def binding(self, model, external_id, backend=None):
        return self.env[f"complaint.erp.{model}"].search(
            [("backend_id", "=", (backend or self.backend).id), ("external_id", "=", external_id)]
        )

    def bound_case(self, partner_ext="C0", subject="Broken machine", **values):
        """A case of a customer the ERP knows (imported from the simulator)."""
        binding = self.binding("partner", partner_ext)
        if not binding:
            self.sim.put("partners", partner_ext, name=f"Customer {partner_ext}")
            self.import_changes()
            binding = self.binding("partner", partner_ext)
        return self.env["complaint.case"].create(
            {
                "subject": subject,
                "partner_id": binding.partner_id.id,
                "type_id": self.type_complaint.id,
                **values,
            }
        )

    def decide(self, case):
        """Decide ``case`` as the installed add-ons require (complaint_workflow's
        wizard when it is installed, else the base button)."""
        if case.state == "new":
            case.action_confirm()
        if "complaint.case.decide" in self.env:
            wizard = self.env["complaint.case.decide"].create(
                {"case_id": case.id, "decision": "accepted", "resolution": "none"}
            )
            return wizard.action_confirm()
        return case.action_decide()

    def outbox(self, case=None):
        domain = [("direction", "=", "outbound")]
        if case:
            domain.append(("case_id", "=", case.id))
        return self.env["complaint.erp.exchange"].search(domain, order="id")

    def add_cost(self, case, amount):
        return self.env["complaint.cost.line"].create(
            {"case_id": case.id, "cost_type": "freight", "amount": amount, "name": "Freight"}
        )

    def applied_keys(self):
        return [message["key"] for message in self.sim.applied]

    def later(self, minutes=60):
        return fields.Datetime.now() + timedelta(minutes=minutes)


class ErpHttpCommon(HttpCase):
    """The simulator and a backend, for the doors users and the ERP knock on
    (webhook, buttons through JSON-RPC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        simulator = load_simulator()
        cls.sim = simulator.ErpSimulator(token="sim-token")
        cls.sim.start()
        cls.addClassCleanup(cls.sim.stop)
        cls.manager = new_test_user(
            cls.env,
            login="erp_http_manager",
            password="erp_http_manager",
            groups="base.group_user,complaint_base.group_complaint_manager",
        )
        cls.user = new_test_user(
            cls.env,
            login="erp_http_user",
            password="erp_http_user",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.backend = cls.env["complaint.erp.backend"].create(
            {
                "name": "Simulated ERP",
                "base_url": cls.sim.url,
                "auth_type": "token",
                "token": "sim-token",
                "connect_timeout": 0.5,
                "read_timeout": 0.5,
                "webhook_secret": "hook-secret",
                "replay_window": 300,
            }
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlparse(r.url).port == cls.sim.port and urlparse(r.url).hostname == "127.0.0.1":
            return odoo_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.runner = JobRunner(self.env)
        if not self.sim.running:
            self.sim.start()

    def webhook_url(self, backend=None):
        return f"{self.base_url()}/complaint_erp/webhook/{(backend or self.backend).id}"

    def push(self, event, data, message_id, **kwargs):
        kwargs.setdefault("secret", "hook-secret")
        return self.sim.push(self.webhook_url(), kwargs.pop("secret"), event, data, message_id,
                             **kwargs)  # fmt: skip

    def call_button(self, user, record, method):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {"model": record._name, "method": method, "args": [record.ids], "kwargs": {}},
        )
