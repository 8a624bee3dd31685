import psycopg2
import pytz

from odoo import api, fields, models, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Numbers taken per numbering sequence and year; the primary key makes two
# creators that take the same number at the same time wait for each other.
# No foreign key: its row lock on the sequence would make a creator fail when
# a manager edits the sequence meanwhile.
NUMBER_TABLE = "complaint_case_number"
# Attempts of a reservation: the second one holds the queue, so it cannot fail
# on a number taken meanwhile.
NUMBER_ATTEMPTS = 3
# High bits of the advisory lock that queues the creators of one sequence and year
NUMBER_LOCK_BASE = 0x43434E << 40


class ComplaintType(models.Model):
    _name = "complaint.type"
    _description = "Complaint Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key used by integrations, e.g. 'warranty'.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(
        translate=True,
        help="Explains to staff and customers when this type applies.",
    )
    sequence_prefix = fields.Char(
        required=True,
        help="Prefix of the case numbers of this type, e.g. 'RK' gives RK/2026/00042. "
        "Numbering is continuous per type, company and year.",
    )
    deadline_days = fields.Integer(
        string="Default Deadline (days)",
        default=14,
        help="Days the company has to answer a case of this type.",
    )
    required_field_ids = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="complaint_type_required_field_rel",
        column1="type_id",
        column2="field_id",
        string="Required Fields",
        domain="[('model', '=', 'complaint.case'), ('store', '=', True)]",
        help="Fields that must be filled in before a case of this type is confirmed.",
    )
    min_attachment_count = fields.Integer(
        string="Required Attachments",
        help="Number of files (photos, receipts, ...) that must be attached "
        "before a case of this type is confirmed.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the type between companies.",
    )
    sequence_id = fields.Many2one(
        comodel_name="ir.sequence",
        string="Numbering Sequence",
        company_dependent=True,
        copy=False,
        help="Sequence that numbers the cases of this type in the current company; "
        "created on first use. Numbers restart every year; a date range of the "
        "sequence sets the first number of its year.",
    )
    case_count = fields.Integer(compute="_compute_case_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a complaint type must be unique."),
        (
            "deadline_days_positive",
            "CHECK(deadline_days >= 0)",
            "The default deadline cannot be negative.",
        ),
        (
            "min_attachment_count_positive",
            "CHECK(min_attachment_count >= 0)",
            "The number of required attachments cannot be negative.",
        ),
    ]

    @api.constrains("required_field_ids")
    def _check_required_fields_model(self):
        for complaint_type in self:
            foreign = complaint_type.required_field_ids.filtered(
                lambda field: field.model != "complaint.case"
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Type %(type)s can only require fields of complaint cases, not %(fields)s.",
                        type=complaint_type.name,
                        fields=", ".join(foreign.mapped("field_description")),
                    )
                )

    def _compute_case_count(self):
        counts = dict(
            self.env["complaint.case"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for complaint_type in self:
            complaint_type.case_count = counts.get(complaint_type, 0)

    def init(self):
        super().init()
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %s (
                    sequence_id integer NOT NULL,
                    year integer NOT NULL,
                    number integer NOT NULL,
                    PRIMARY KEY (sequence_id, year, number)
                )
                """,
                SQL.identifier(NUMBER_TABLE),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        for complaint_type in types:
            # linked now, before anybody files cases of the type
            complaint_type._get_case_sequence(complaint_type.company_id or self.env.company)
        return types

    def write(self, vals):
        res = super().write(vals)
        if "sequence_prefix" in vals:
            for complaint_type in self:
                complaint_type._get_all_sequences().write(
                    {"prefix": f"{complaint_type.sequence_prefix}/%(range_year)s/"}
                )
        return res

    def _get_all_sequences(self):
        """The numbering sequences of this type in every company."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT value::int FROM complaint_type, jsonb_each_text(sequence_id) "
            "WHERE complaint_type.id = %s AND value IS NOT NULL AND value != 'null'",
            [self.id],
        )
        return self.env["ir.sequence"].sudo().browse({row[0] for row in self.env.cr.fetchall()})

    def _get_case_sequence(self, company):
        """Return the numbering sequence of this type in ``company``, creating it
        on first use so that each company numbers its cases on its own."""
        self.ensure_one()
        complaint_type = self.with_company(company).sudo()
        sequence = complaint_type.sequence_id
        if not sequence:
            sequence = self.env["ir.sequence"].sudo().create(self._prepare_sequence_vals(company))
            complaint_type.sequence_id = sequence
        return sequence

    def _prepare_sequence_vals(self, company):
        """Values of the per-company numbering sequence; called by
        ``_get_case_sequence``. Continuous (no gap) and restarting every year."""
        self.ensure_one()
        return {
            "name": f"{self.name} ({company.name})",
            "code": f"complaint.case.{self.code}",
            "company_id": company.id,
            "prefix": f"{self.sequence_prefix}/%(range_year)s/",
            "padding": 5,
            "implementation": "no_gap",
            "use_date_range": True,
        }

    @api.model
    def _get_number_date(self, company, received=None):
        """The day whose year numbers a case received at ``received`` (UTC): the
        company's local date, not the UTC one."""
        received = fields.Datetime.to_datetime(received) or fields.Datetime.now()
        try:
            tz = pytz.timezone(company.partner_id.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        return pytz.utc.localize(received).astimezone(tz).date()

    def _reserve_case_numbers(self, company, number_date, count=1):
        """Take ``count`` consecutive case numbers of this type in ``company``
        for the year of ``number_date`` in one statement; return them formatted.

        The numbers are rows written in the creator's transaction: a rollback
        (to a savepoint too) gives them back, so numbering has no gap. A creator
        that meets a number taken by a transaction still running waits for it
        (it never fails on a lock), then takes the next free one; only creators
        of the same type, company and year wait for each other."""
        self.ensure_one()
        sequence = self._get_case_sequence(company)
        numbers = self._take_numbers(sequence, number_date, count)
        prefix, suffix = sequence._get_prefix_suffix(date=number_date, date_range=number_date)
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for number in numbers]

    @api.model
    def _take_numbers(self, sequence, number_date, count):
        """The numbers, as rows of this transaction. The statement also takes a
        lock on the sequence and year until the transaction ends: the creators
        of the same type, company and year queue up (they wait, they do not
        fail) and never race for the same number."""
        cr = self.env.cr
        self.env["ir.sequence.date_range"].flush_model(
            ["sequence_id", "date_from", "date_to", "number_next"]
        )
        lock_key = NUMBER_LOCK_BASE | (sequence.id << 16) | (number_date.year & 0xFFFF)
        known = 0
        for attempt in range(NUMBER_ATTEMPTS):
            if attempt:
                # numbers committed after this transaction began are invisible
                # to it: hold the queue, then read them with a fresh snapshot
                cr.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key])
                known = self._last_committed_number(sequence, number_date.year)
            try:
                with cr.savepoint(flush=False):
                    cr.execute(
                        SQL(
                            """
                            WITH queue AS (SELECT pg_advisory_xact_lock(%(lock)s))
                            INSERT INTO %(table)s (sequence_id, year, number)
                            SELECT %(sequence)s, %(year)s, last.number + step
                              FROM queue,
                                   (SELECT GREATEST(
                                        (SELECT max(number) FROM %(table)s
                                          WHERE sequence_id = %(sequence)s AND year = %(year)s),
                                        (SELECT number_next - 1 FROM ir_sequence_date_range
                                          WHERE sequence_id = %(sequence)s AND date_from <= %(day)s
                                            AND date_to >= %(day)s
                                          ORDER BY id LIMIT 1),
                                        %(known)s) AS number) last,
                                   generate_series(1, %(count)s) step
                            RETURNING number
                            """,
                            lock=lock_key,
                            table=SQL.identifier(NUMBER_TABLE),
                            sequence=sequence.id,
                            year=number_date.year,
                            day=number_date,
                            known=known,
                            count=count,
                        ),
                        log_exceptions=False,
                    )
                    return sorted(row[0] for row in cr.fetchall())
            except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure):
                continue
        raise UserError(
            self.env._(
                "The case could not be numbered: too many cases of this type are being "
                "filed at this moment. Please try again."
            )
        )

    @api.model
    def _last_committed_number(self, sequence, year):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT COALESCE(max(number), 0) FROM %s WHERE sequence_id = %s AND year = %s",
                    SQL.identifier(NUMBER_TABLE),
                    sequence.id,
                    year,
                )
            )
            return cr.fetchone()[0]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["complaint.case"].search_count([("type_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._("A complaint type with cases cannot be deleted; archive it instead.")
            )

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action
