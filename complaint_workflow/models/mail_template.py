from odoo import api, fields, models
from odoo.tools import is_html_empty

# Order of the templates of a case among those that fit it equally well.
USAGE_ORDER = {"reply": 0, "completion": 1, "decision": 2}


class MailTemplate(models.Model):
    """Complaint replies kept as Odoo mail templates: a scope (type, reason,
    decision, customer language) tells the composer and the wizards which
    ones fit a case."""

    _inherit = "mail.template"

    complaint_usage = fields.Selection(
        selection=[
            ("reply", "Reply"),
            ("completion", "Completion Request"),
            ("decision", "Decision"),
        ],
        string="Complaint Use",
        help="Where handlers are offered this template: replies in the composer, "
        "completion requests and decisions in their wizards (and in the composer).",
    )
    complaint_type_ids = fields.Many2many(
        comodel_name="complaint.type",
        relation="mail_template_complaint_type_rel",
        column1="template_id",
        column2="type_id",
        string="Complaint Types",
        help="Offered for cases of these types only; empty: for every type.",
    )
    complaint_reason_ids = fields.Many2many(
        comodel_name="complaint.reason",
        relation="mail_template_complaint_reason_rel",
        column1="template_id",
        column2="reason_id",
        string="Complaint Reasons",
        help="Offered for cases with these reasons only; empty: for every reason.",
    )
    complaint_decision = fields.Selection(
        selection=lambda self: (
            self.env["complaint.case"]._fields["decision"]._description_selection(self.env)
        ),
        string="For Decision",
        help="The decision this template announces; the Decide wizard starts from it.",
    )
    complaint_lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Customer Language",
        help="Offered for customers of this language only; empty: for every customer "
        "(the text is then sent in the customer's language from its translations).",
    )

    def _complaint_score(self, case, decision=None):
        """How well the template fits ``case``: None when its scope excludes
        the case, else a higher number for a narrower match."""
        self.ensure_one()
        score = 0
        for scope, value, weight in (
            (self.complaint_type_ids, case.type_id, 4),
            (self.complaint_reason_ids, case.reason_id, 2),
        ):
            if scope:
                if value not in scope:
                    return None
                score += weight
        if self.complaint_lang:
            if self.complaint_lang != (case.partner_id.lang or self.env.lang):
                return None
            score += 1
        if self.complaint_decision:
            if self.complaint_decision != decision:
                return None
            score += 8
        return score

    @api.model
    def _complaint_get_templates(self, case, usage=None, decision=None):
        """Templates of complaint cases that fit ``case``, best first."""
        domain = [("model", "=", "complaint.case")]
        if usage:
            domain.append(("complaint_usage", "=", usage))
        scored = []
        for template in self.search(domain):
            score = template._complaint_score(case, decision=decision)
            if score is not None:
                scored.append((-score, USAGE_ORDER.get(template.complaint_usage, 3), template))
        scored.sort(key=lambda item: (item[0], item[1], item[2].name or "", item[2].id))
        return self.browse([item[2].id for item in scored])

    @api.model
    def complaint_get_composer_templates(self, case_id, limit=7):
        """The composer's template picker on a case (see Odoo's
        ``MailComposerTemplateSelector``): the templates fitting the case
        (type, reason, decision, customer language), the user's own first,
        then best first; templates scoped to other cases are left out."""
        case = self.env["complaint.case"].browse(case_id).exists()
        if not case:
            return []
        case.check_access("read")
        fitting = self._complaint_get_templates(case, decision=case.decision)
        own = fitting.filtered(lambda t: t.user_id == self.env.user)
        templates = (own | (fitting - own))[:limit]
        return [{"id": t.id, "display_name": t.display_name} for t in templates]

    def _complaint_render_preview(self, case, values=None):
        """(subject, body) of the template for ``case`` in the customer's
        language, as the customer would read it, with ``values`` (not yet
        written on the case) in place of the case's own."""
        self.ensure_one()
        record = case.new(values or {}, origin=case) if values else case
        lang = self._render_lang(case.ids)[case.id] or case.partner_id.lang or self.env.lang
        template = self.with_context(lang=lang)
        record = record.with_context(lang=lang)
        # ``_ids``: a new record's own id (``ids`` would give its origin's)
        res_ids = list(record._ids)
        (subject,) = template._render_template(
            template.subject or "", "complaint.case", res_ids, engine="inline_template"
        ).values()
        (body,) = template._render_template(
            template.body_html or "", "complaint.case", res_ids, engine="qweb"
        ).values()
        return subject, "" if is_html_empty(body) else body
