import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize
from odoo.tools.mail import email_split_and_format

from odoo.addons.phone_validation.tools import phone_validation

_logger = logging.getLogger(__name__)

# Cases listed by name in one notification about a batch; the rest are counted.
NOTIFY_LIST_LIMIT = 50

SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
PRIORITIES = [
    ("0", "Normal"),
    ("1", "High"),
    ("2", "Urgent"),
]
CHANNELS = [
    ("backend", "Backend"),
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("web_form", "Web Form"),
    ("phone", "Phone"),
    ("api", "API"),
]
STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("decided", "Decided"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
CLOSED_STATES = ("closed", "cancelled")


class ComplaintCase(models.Model):
    _name = "complaint.case"
    _description = "Complaint Case"
    _inherit = ["mail.thread.cc", "mail.activity.mixin", "complaint.batch.mixin"]
    _order = "priority desc, date_received desc, id desc"
    _primary_email = "partner_email"
    _rec_names_search = ["name", "subject"]
    _check_company_auto = True

    def _default_type_id(self):
        return self.env["complaint.type"].search(
            [("company_id", "in", [False, self.env.company.id])], limit=1
        )

    def _default_team_id(self):
        return self.env["complaint.team"]._get_default_team()

    name = fields.Char(
        string="Number",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        default=lambda self: self.env._("New"),
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html(
        help="What the customer reports, in their words. Scripts and unsafe markup are removed.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    type_id = fields.Many2one(
        comodel_name="complaint.type",
        string="Type",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self._default_type_id(),
        check_company=True,
        ondelete="restrict",
    )
    type_code = fields.Char(related="type_id.code")
    channel = fields.Selection(
        selection=CHANNELS,
        required=True,
        default="backend",
        help="How the case reached the company.",
    )
    state = fields.Selection(
        selection=STATES,
        string="Status",
        required=True,
        default="new",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Handler",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        check_company=True,
    )
    team_id = fields.Many2one(
        comodel_name="complaint.team",
        string="Team",
        index=True,
        tracking=True,
        default=lambda self: self._default_team_id(),
        check_company=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="Customer, supplier or, for internal complaints, the department's contact.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Entity",
        store=True,
        precompute=True,
        index=True,
    )
    partner_email = fields.Char(
        string="E-mail",
        compute="_compute_partner_email",
        store=True,
        precompute=True,
        readonly=False,
        index="btree_not_null",
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        precompute=True,
        readonly=False,
        index="btree_not_null",
        help="Stored in international E.164 notation, e.g. +48601234567.",
    )
    email_unconfirmed = fields.Boolean(
        string="E-mail Unconfirmed",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Filed online with the address of an existing contact: kept apart from that "
        "contact until the owner of the address confirms the claim by the link sent there.",
    )
    is_vip = fields.Boolean(
        string="VIP",
        related="commercial_partner_id.complaint_vip",
        store=True,
        precompute=True,
    )
    date_received = fields.Datetime(
        string="Received On",
        required=True,
        index=True,
        default=fields.Datetime.now,
    )
    date_closed = fields.Datetime(string="Closed On", copy=False, readonly=True)
    reason_id = fields.Many2one(
        comodel_name="complaint.reason",
        string="Reason",
        tracking=True,
        domain="['|', ('type_ids', '=', False), ('type_ids', 'in', type_id)]",
    )
    root_cause_id = fields.Many2one(
        comodel_name="complaint.root.cause",
        string="Root Cause",
        tracking=True,
    )
    severity = fields.Selection(
        selection=SEVERITIES,
        required=True,
        default="medium",
        tracking=True,
    )
    priority = fields.Selection(selection=PRIORITIES, default="0", tracking=True)
    tag_ids = fields.Many2many(comodel_name="complaint.tag", string="Tags")
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'in_invoice')), ('state', '=', 'posted')]",
        help="Invoice (or vendor bill for supplier complaints) the claim is about.",
    )
    line_ids = fields.One2many(
        comodel_name="complaint.case.line",
        inverse_name="case_id",
        string="Claimed Items",
        copy=True,
    )
    cost_line_ids = fields.One2many(
        comodel_name="complaint.cost.line",
        inverse_name="case_id",
        string="Costs",
    )
    cost_total = fields.Monetary(
        string="Total Cost",
        compute="_compute_cost_total",
        store=True,
        precompute=True,
        currency_field="currency_id",
        help="Sum of the cost lines in the company currency.",
    )
    history_case_ids = fields.Many2many(
        comodel_name="complaint.case",
        string="Earlier Cases",
        compute="_compute_history",
        help="Earlier cases about the same serial numbers, or about the same "
        "products of the same customer when no serial is given.",
    )
    history_case_count = fields.Integer(compute="_compute_history")
    history_repair_count = fields.Integer(compute="_compute_history")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A case with this number already exists in this company.",
        ),
    ]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("partner_id")
    def _compute_partner_email(self):
        for case in self:
            if case.partner_id.email:
                case.partner_email = case.partner_id.email

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        formatted = {}  # a batch's customers share their numbers: parse each once
        for case in self:
            number = case.partner_id.phone or case.partner_id.mobile
            if number:
                key = (number, case.partner_id.country_id)
                if key not in formatted:
                    formatted[key] = self._format_phone_e164(
                        number, case.partner_id.country_id, raise_exception=False
                    )
                case.partner_phone = formatted[key]

    @api.depends("cost_line_ids.amount_company")
    def _compute_cost_total(self):
        # new cases (computed before their insert) add up their lines in memory
        stored = self.filtered("id")
        totals = dict(
            self.env["complaint.cost.line"]._read_group(
                [("case_id", "in", stored.ids)], ["case_id"], ["amount_company:sum"]
            )
            if stored
            else []
        )
        for case in self:
            if case.id:
                case.cost_total = totals.get(case, 0.0)
            else:
                case.cost_total = sum(case.cost_line_ids.mapped("amount_company"))

    @api.depends("line_ids.lot_id", "line_ids.product_id", "commercial_partner_id")
    def _compute_history(self):
        # repair orders count only for those who may open them (the banner links there)
        has_repair = "repair.order" in self.env and self.env["repair.order"].has_access("read")
        for case in self:
            domain = case._get_history_domain()
            if domain is None:
                case.history_case_ids = False
                case.history_case_count = 0
                case.history_repair_count = 0
                continue
            case.history_case_ids = self.search(domain, order="date_received desc", limit=50)
            case.history_case_count = len(case.history_case_ids)
            case.history_repair_count = (
                self.env["repair.order"].search_count(case._get_history_repair_domain())
                if has_repair
                else 0
            )

    def _get_history_domain(self):
        """Domain of the earlier cases about this case's serials, or about its
        untracked products for the same customer; None when there is nothing to match."""
        self.ensure_one()
        lots = self.line_ids.lot_id
        products = self.line_ids.filtered(lambda line: not line.lot_id).product_id
        if not lots and not (products and self.commercial_partner_id):
            return None
        match = []
        if lots:
            match.append([("line_ids.lot_id", "in", lots.ids)])
        if products and self.commercial_partner_id:
            match.append(
                [
                    ("line_ids.product_id", "in", products.ids),
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ]
            )
        domain = match[0] if len(match) == 1 else ["|", *match[0], *match[1]]
        if self._origin.id:
            domain = [("id", "!=", self._origin.id), *domain]
        return domain

    def _get_history_repair_domain(self):
        self.ensure_one()
        lots = self.line_ids.lot_id
        products = self.line_ids.filtered(lambda line: not line.lot_id).product_id
        domains = []
        if lots:
            domains.append([("lot_id", "in", lots.ids)])
        if products and self.commercial_partner_id:
            domains.append(
                [
                    ("product_id", "in", products.ids),
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                ]
            )
        if not domains:
            return [("id", "=", False)]
        return domains[0] if len(domains) == 1 else ["|", *domains[0], *domains[1]]

    @api.onchange("invoice_id")
    def _onchange_invoice_id(self):
        if self.invoice_id and not self.partner_id:
            self.partner_id = self.invoice_id.partner_id

    @api.onchange("type_id")
    def _onchange_type_id(self):
        if self.reason_id.type_ids and self.type_id not in self.reason_id.type_ids:
            self.reason_id = False

    @api.constrains("invoice_id", "partner_id")
    def _check_invoice_partner(self):
        for case in self:
            invoice = case.invoice_id
            if (
                invoice
                and case.commercial_partner_id
                and invoice.commercial_partner_id != case.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s belongs to %(invoice_partner)s, "
                        "not to the customer of case %(case)s (%(partner)s).",
                        invoice=invoice.name,
                        invoice_partner=invoice.commercial_partner_id.display_name,
                        case=case.name,
                        partner=case.commercial_partner_id.display_name,
                    )
                )

    @api.model
    def _format_phone_e164(self, number, country=None, raise_exception=True):
        """Phone number in E.164, read in ``country`` (else the company's country)
        when it has no international prefix. Invalid numbers raise a ValidationError,
        or come back unchanged when ``raise_exception`` is False."""
        number = (number or "").strip()
        if not number:
            return False
        country = country or self.env.company.country_id
        try:
            return phone_validation.phone_format(
                number,
                country.code,
                country.phone_code,
                force_format="E164",
                raise_exception=True,
            )
        except UserError as error:
            if not raise_exception:
                return number
            raise ValidationError(
                self.env._(
                    "The phone number %(number)s is not valid: %(reason)s",
                    number=number,
                    reason=str(error),
                )
            ) from error

    def _normalize_phone_vals(self, vals):
        if vals.get("partner_phone"):
            partner = self.env["res.partner"].browse(vals.get("partner_id")) or self.partner_id[:1]
            vals["partner_phone"] = self._format_phone_e164(
                vals["partner_phone"], partner.country_id
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        default_type = default_team = None
        new_name = self.env._("New")
        to_number = defaultdict(list)
        Type = self.env["complaint.type"]
        number_dates = {}  # the batch's cases share their company and reception time
        for vals in vals_list:
            self._normalize_phone_vals(vals)
            if "team_id" not in vals and "default_team_id" not in self.env.context:
                # the default depends on the user only: look it up once per batch
                if default_team is None:
                    default_team = self._default_team_id()
                vals["team_id"] = default_team.id
            if vals.get("name") and vals["name"] != new_name:
                continue
            if "type_id" in vals:
                case_type = Type.browse(vals["type_id"])
            else:
                if default_type is None:
                    default_type = self._default_type_id()
                case_type = default_type
            if not case_type:
                raise UserError(self.env._("Configure a complaint type before filing cases."))
            vals["type_id"] = case_type.id
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            key = (company, vals.get("date_received"))
            if key not in number_dates:
                number_dates[key] = Type._get_number_date(company, vals.get("date_received"))
            number_date = number_dates[key]
            to_number[(case_type.id, company.id, number_date.year)].append((vals, number_date))
        # one statement per type, company and year, always in the same order so
        # that two batches never wait for each other crosswise
        for (type_id, company_id, _year), pending in sorted(to_number.items()):
            names = Type.browse(type_id)._reserve_case_numbers(
                self.env["res.company"].browse(company_id), pending[0][1], len(pending)
            )
            for (vals, _number_date), name in zip(pending, names, strict=True):
                vals["name"] = name
        with self._complaint_batch_defaults():
            return super().create(vals_list)

    def write(self, vals):
        self._normalize_phone_vals(vals)
        if "state" in vals:
            if vals["state"] == "closed":
                vals.setdefault("date_closed", fields.Datetime.now())
            elif vals["state"] not in CLOSED_STATES:
                vals["date_closed"] = False
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_numbered(self):
        if not self.env.user.has_group("complaint_base.group_complaint_manager"):
            raise UserError(
                self.env._("Only complaint managers can delete cases; cancel the case instead.")
            )

    def _compute_display_name(self):
        for case in self:
            case.display_name = f"{case.name} - {case.subject}" if case.subject else case.name

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def _get_empty_field_labels(self, required_fields):
        """Translated labels of the ``required_fields`` (ir.model.fields) that
        this case leaves empty; shared by every gate on case fields."""
        self.ensure_one()
        return [
            self._fields[field.name]._description_string(self.env)
            for field in required_fields
            if field.name in self._fields and not self[field.name]
        ]

    def _get_missing_requirements(self):
        """Labels of what the case type still requires before confirmation."""
        self.ensure_one()
        missing = self._get_empty_field_labels(self.type_id.required_field_ids)
        required_files = self.type_id.min_attachment_count
        if required_files:
            attached = (
                self.env["ir.attachment"]
                .sudo()
                .search_count([("res_model", "=", self._name), ("res_id", "=", self.id)])
            )
            if attached < required_files:
                missing.append(
                    self.env._(
                        "attached files: at least %(required)s (%(attached)s so far)",
                        required=required_files,
                        attached=attached,
                    )
                )
        return missing

    def _check_requirements(self):
        errors = []
        for case in self:
            missing = case._get_missing_requirements()
            if missing:
                errors.append(
                    self.env._(
                        "Case %(case)s (%(type)s) is missing: %(missing)s.",
                        case=case.name,
                        type=case.type_id.name,
                        missing=", ".join(missing),
                    )
                )
        if errors:
            raise UserError("\n".join(errors))

    def _check_state_transition(self, allowed_from, action_label):
        wrong = self.filtered(lambda case: case.state not in allowed_from)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible in the current status of: %(cases)s.",
                    action=action_label,
                    cases=", ".join(wrong.mapped("name")),
                )
            )

    def action_confirm(self):
        self._check_state_transition(("new",), self.env._("Confirming"))
        self._check_requirements()
        self.write({"state": "in_progress"})
        return True

    def action_wait(self):
        self._check_state_transition(("new", "in_progress"), self.env._("Waiting"))
        self.write({"state": "waiting"})
        return True

    def action_resume(self):
        self._check_state_transition(("waiting",), self.env._("Resuming"))
        self.write({"state": "in_progress"})
        return True

    def action_decide(self):
        self._check_state_transition(("in_progress", "waiting"), self.env._("Deciding"))
        self.write({"state": "decided"})
        return True

    def action_close(self):
        self._check_state_transition(("decided", "in_progress", "waiting"), self.env._("Closing"))
        self.write({"state": "closed"})
        return True

    def action_cancel(self):
        self._check_state_transition(
            ("new", "in_progress", "waiting", "decided"), self.env._("Cancelling")
        )
        self.write({"state": "cancelled"})
        return True

    def action_reset_to_new(self):
        self._check_state_transition(("cancelled",), self.env._("Resetting"))
        self.write({"state": "new"})
        return True

    def action_view_history_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("id", "in", self.history_case_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_history_repairs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Earlier Repairs"),
            "res_model": "repair.order",
            "view_mode": "list,form",
            "domain": self._get_history_repair_domain(),
            "context": {"create": False},
        }

    @api.model
    def _phone_lookup_payload(self, number):
        """What a telephony integration shows when ``number`` calls: the
        matching contacts and their open cases."""
        e164 = self._format_phone_e164(number)
        partners = self.env["res.partner"]._complaint_find_by_phone(number)
        cases = self.search(
            [
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                ("state", "not in", CLOSED_STATES),
            ],
            limit=20,
        )
        base_url = self.get_base_url()
        return {
            "number": e164,
            "partners": [
                {
                    "id": partner.id,
                    "name": partner.display_name,
                    "email": partner.email or None,
                    "vip": partner.complaint_vip,
                    "url": f"{base_url}/odoo/res.partner/{partner.id}",
                }
                for partner in partners
            ],
            "open_cases": [
                {
                    "id": case.id,
                    "number": case.name,
                    "subject": case.subject,
                    "state": case.state,
                    "url": f"{base_url}/odoo/complaint.case/{case.id}",
                }
                for case in cases
            ],
        }

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    def _creation_subtype(self):
        # Only worth a notified message when the team has followers to tell;
        # otherwise mail.thread logs the creation of a whole batch at once.
        if self.team_id.message_follower_ids:
            return self.env.ref("complaint_base.mt_case_new")
        return super()._creation_subtype()

    def _track_subtype(self, initial_values):
        self.ensure_one()
        if "state" in initial_values:
            return self.env.ref("complaint_base.mt_case_state")
        return super()._track_subtype(initial_values)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for case in self:
            if case.partner_id:
                case._message_add_suggested_recipient(
                    recipients, partner=case.partner_id, reason=self.env._("Customer")
                )
            elif case.partner_email:
                case._message_add_suggested_recipient(
                    recipients, email=case.partner_email, reason=self.env._("Customer E-mail")
                )
        return recipients

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A message to a team alias opens a case for its sender; the sender's
        contact is created when unknown so that the customer can be answered."""
        self = self.with_context(default_user_id=False)
        email_from = msg_dict.get("email_from") or ""
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not partner and email_normalize(email_from):
            if "author_id" in msg_dict:
                # the gateway's route check looked the sender up already and
                # left author_id empty: no contact has this address
                partner = self.env["res.partner"].browse(
                    self.env["res.partner"].name_create(email_from)[0]
                )
            else:
                partner = self._mail_find_partner_from_emails([email_from], force_create=True)[0]
            msg_dict["author_id"] = partner.id
        values = {
            # the number comes from the type's sequence, not from the subject
            "name": self.env._("New"),
            "subject": (msg_dict.get("subject") or "").strip() or self.env._("(no subject)"),
            "description": msg_dict.get("body"),
            "channel": "email",
            "partner_id": partner.id,
            "partner_email": email_normalize(email_from) or partner.email,
        }
        values.update(custom_values or {})
        values["ack_pending"] = True
        # what mail.thread.cc and mail.thread do, without their fields_get()
        # (a tenth of the intake's time on a model this size): the Cc and the
        # other To addresses are kept so that answers reach them too
        cc = ", ".join(filter(None, [msg_dict.get("cc"), self._get_other_to(msg_dict)]))
        values = {
            "email_cc": ", ".join(self._mail_cc_sanitized_raw_dict(cc).values()),
            **values,
        }
        try:
            case = self.create(values)
        except Exception:
            # re-raised: message_process keeps the message in complaint.mail.failure
            _logger.exception(
                "Complaint gateway: could not open a case from message %s sent by %s",
                msg_dict.get("message_id"),
                email_from,
            )
            raise
        # acknowledged by a cron, out of the gateway's transaction
        case._complaint_ack_enqueue()
        return case

    @api.model
    def _get_other_to(self, msg_dict):
        """To addresses of an incoming message other than the sender, the
        aliases and the catchall and bounce addresses."""
        sender = email_normalize(msg_dict.get("email_from") or "")
        to = {
            email_normalize(address): address
            for address in email_split_and_format(msg_dict.get("to") or "")
            if email_normalize(address) not in (False, sender)
        }
        if len(to) < 2:
            # a single address is the one the message came in through
            return ""
        ours = set(
            self.env["mail.alias"]
            .sudo()
            .search([("alias_full_name", "in", list(to))])
            .mapped("alias_full_name")
        )
        for domain in (
            self.env["mail.alias.domain"]
            .sudo()
            .search(["|", ("catchall_email", "in", list(to)), ("bounce_email", "in", list(to))])
        ):
            ours |= {domain.catchall_email, domain.bounce_email}
        return ", ".join(address for email, address in to.items() if email not in ours)

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        if not self.env.context.get("complaint_automatic_message"):
            self._complaint_customer_message(msg_dict)
        return res

    def _complaint_customer_message(self, msg_dict):
        """Hook for what a reply by e-mail changes on the cases; auto-replies,
        bounces and bulk mail are only logged and never reach it."""
        return True

    def _message_auto_subscribe_notify(self, partner_ids, template):
        """Cases assigned together (routing, a list view) tell each new handler
        once, with the list of the cases, instead of one e-mail per case."""
        if (
            len(self) < 2
            or self.env.context.get("mail_auto_subscribe_no_notify")
            or not self.env.registry.ready
        ):
            return super()._message_auto_subscribe_notify(partner_ids, template)
        self._complaint_notify_list(
            self.env["res.partner"].browse(partner_ids),
            lambda env, count: (
                env._("You have been assigned to %s complaint cases", count),
                env._("These cases were assigned to you:"),
            ),
        )

    def _complaint_notify_list(self, partners, texts):
        """Tell ``partners`` once about all the cases of ``self``, in their
        language: one message listing the cases instead of one per case.
        ``texts(env, count)`` gives the subject and the introduction."""
        if not self or not partners:
            return
        cases = self.sudo()
        for lang, group in partners.sudo().grouped("lang").items():
            env = self.with_context(lang=lang or None).env
            subject, intro = texts(env, len(cases))
            items = Markup().join(
                Markup('<li><a href="/odoo/complaint.case/%s">%s</a></li>')
                % (case.id, case.display_name)
                for case in cases[:NOTIFY_LIST_LIMIT]
            )
            more = ""
            if len(cases) > NOTIFY_LIST_LIMIT:
                more = Markup("<p>%s</p>") % env._(
                    "... and %s more.", len(cases) - NOTIFY_LIST_LIMIT
                )
            body = Markup("<p>%s</p><ul>%s</ul>%s") % (intro, items, more)
            env["mail.thread"].message_notify(
                partner_ids=group.ids,
                subject=subject,
                body=env["mail.render.mixin"]._replace_local_links(body),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _get_customer_emails(self):
        """Normalized addresses that may write about this case as the customer."""
        self.ensure_one()
        partners = self.partner_id | self.commercial_partner_id
        partners |= self.commercial_partner_id.child_ids
        emails = {email_normalize(email) for email in partners.mapped("email")}
        emails.add(email_normalize(self.partner_email or ""))
        emails |= {email_normalize(p.email or "") for p in self.message_partner_ids}
        emails.discard(False)
        return emails
