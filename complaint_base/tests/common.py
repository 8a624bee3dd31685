from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from odoo import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

GATEWAY_LOGGERS = (
    "odoo.addons.mail.models.mail_thread",
    "odoo.addons.complaint_base.models.mail_thread",
)


def create_test_products(env):
    """(serial-tracked espresso machine, untracked tablets, two serials of the
    machine): the products the suite's tests claim, in every add-on."""
    product_serial = env["product.product"].create(
        {
            "name": "Espresso Machine EM-200",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
        }
    )
    product_plain = env["product.product"].create({"name": "Descaling Tablets", "type": "consu"})
    lots = env["stock.lot"].create(
        [
            {"name": "EM200-0001", "product_id": product_serial.id},
            {"name": "EM200-0002", "product_id": product_serial.id},
        ]
    )
    return product_serial, product_plain, lots[0], lots[1]


class ComplaintCommon(TransactionCase):
    """Users, a team, a customer and products shared by complaint_base tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.pl")
        cls.manager = new_test_user(
            cls.env,
            login="complaint_manager",
            name="Maria Manager",
            email="maria.manager@example.com",
            groups="base.group_user,complaint_base.group_complaint_manager",
        )
        cls.user = new_test_user(
            cls.env,
            login="complaint_user",
            name="Ulla User",
            email="ulla.user@example.com",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.other_user = new_test_user(
            cls.env,
            login="complaint_other",
            name="Otto Other",
            email="otto.other@example.com",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.team = cls.env["complaint.team"].create(
            {
                "name": "After-sales",
                "user_id": cls.manager.id,
                "member_ids": [Command.set(cls.user.ids)],
            }
        )
        cls.type_complaint = cls.env.ref("complaint_base.complaint_type_complaint")
        cls.type_warranty = cls.env.ref("complaint_base.complaint_type_warranty")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Kowalski Sp. z o.o.",
                "is_company": True,
                "email": "biuro@kowalski.example.com",
                "phone": "22 123 45 67",
                "country_id": cls.env.ref("base.pl").id,
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Jan Kowalski",
                "parent_id": cls.customer.id,
                "email": "jan@kowalski.example.com",
                "mobile": "601 234 567",
                "country_id": cls.env.ref("base.pl").id,
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Virtanen Oy",
                "is_company": True,
                "email": "info@virtanen.example.com",
                "country_id": cls.env.ref("base.fi").id,
            }
        )
        cls.product_serial, cls.product_plain, cls.lot_1, cls.lot_2 = create_test_products(cls.env)

    def _decide_case(self, case):
        """Decide ``case`` the way the installed add-ons require: with the Decide
        wizard of complaint_workflow when it is installed (it alone records
        decisions then), else with the base button."""
        if "complaint.case.decide" in self.env:
            wizard = self.env["complaint.case.decide"].create(
                {"case_id": case.id, "decision": "accepted", "resolution": "none"}
            )
            return wizard.action_confirm()
        return case.action_decide()

    @classmethod
    def _create_case(cls, **values):
        vals = {
            "subject": "Machine leaks water",
            "partner_id": cls.customer_contact.id,
            "type_id": cls.type_complaint.id,
        }
        vals.update(values)
        return cls.env["complaint.case"].create(vals)


class ComplaintMailCommon(ComplaintCommon, MailCommon):
    """The team's alias and e-mails to it, for the mail gateway tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.registry.in_test_mode():
            # failed e-mails are kept through a cursor of their own: share the test's
            cls.registry.enter_test_mode(cls.cr)
            cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.team.write({"alias_name": "complaints", "alias_domain_id": cls.mail_alias_domain.id})
        cls.alias_email = f"complaints@{cls.alias_domain}"

    def _email(
        self,
        subject="Leaking machine",
        email_from=None,
        msg_id=None,
        headers=None,
        attachments=(),
        body="The machine leaks water since Monday.",
        to=None,
    ):
        message = EmailMessage()
        message["From"] = email_from or f"Jan Kowalski <{self.customer_contact.email}>"
        message["To"] = to or self.alias_email
        message["Subject"] = subject
        message["Date"] = formatdate()
        message["Message-ID"] = msg_id or make_msgid(domain="customer.example.com")
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(body)
        for filename, data, mimetype in attachments:
            maintype, subtype = mimetype.split("/")
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        return message

    def _process(self, message, model=None, **context):
        with mute_logger(*GATEWAY_LOGGERS):
            return (
                self.env["mail.thread"]
                .sudo()
                .with_context(**context)
                .message_process(model, message.as_string())
            )

    def _fetch(self, message, model=None):
        """Process as fetchmail does: a failed e-mail is kept, not raised."""
        return self._process(message, model=model, fetchmail_cron_running=True)

    def _failures(self):
        return self.env["complaint.mail.failure"].search([])

    def _run_ack_cron(self):
        """Run the acknowledgement cron as a cron worker does: its server
        action, as the cron's user."""
        self.env.ref("complaint_base.ir_cron_complaint_ack").sudo().method_direct_trigger()
