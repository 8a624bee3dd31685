import threading
import uuid

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSettlementConcurrency(TransactionCase):
    """Two accountants settle the same case at the same moment, each in its
    own transaction as parallel requests are: one credit note only."""

    @classmethod
    def _committed_case(cls):
        """An accepted case of a posted invoice, committed so that other
        cursors see it (in a company of its own, with its chart of accounts)."""
        tag = uuid.uuid4().hex[:8]
        with cls.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"mail_create_nolog": True, "mail_notrack": True}
            )
            company = env["res.company"].create({"name": f"Parallel Settlement {tag}"})
            env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            partner = env["res.partner"].create({"name": f"Parallel Customer {tag}"})
            product = env["product.product"].create(
                {"name": f"Parallel Grinder {tag}", "type": "consu", "lst_price": 100.0}
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": "2026-11-20",
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "quantity": 3, "price_unit": 100})
                    ],
                }
            )
            invoice.action_post()
            case = env["complaint.case"].create(
                {
                    "subject": "Blunt grinder",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "type_id": env.ref("complaint_base.complaint_type_complaint").id,
                    "invoice_id": invoice.id,
                    "line_ids": [
                        Command.create(
                            {"invoice_line_id": invoice.invoice_line_ids.id, "quantity": 3}
                        )
                    ],
                }
            )
            case.action_confirm()
            env["complaint.case.decide"].create(
                {"case_id": case.id, "decision": "accepted", "resolution": "refund"}
            ).action_confirm()
            return company.id, case.id, case.line_ids.id

    def test_two_accountants_settle_the_same_line_once(self):
        company_id, case_id, line_id = self._committed_case()
        barrier = threading.Barrier(2)
        results = []
        errors = []

        def settle():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [company_id]})
                    barrier.wait(timeout=30)

                    def attempt():
                        case = env["complaint.case"].browse(case_id)
                        return case._settle({line_id: 3}).ids

                    results.append(retrying(attempt, env))
            except UserError as error:
                errors.append(str(error))
            except Exception as error:  # reported by the main thread
                errors.append(repr(error))

        threads = [threading.Thread(target=settle) for __ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(len(results), 1, errors)
        self.assertEqual(len(errors), 1)
        self.assertIn("already credited", errors[0])
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM account_move WHERE complaint_case_id = %s", [case_id])
            self.assertEqual(cr.fetchone()[0], 1)
            cr.execute("SELECT qty_credited FROM complaint_case_line WHERE id = %s", [line_id])
            self.assertEqual(cr.fetchone()[0], 3.0)
