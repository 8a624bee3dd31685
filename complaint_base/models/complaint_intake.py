from odoo import api, models
from odoo.tools import email_normalize, single_email_re


class ComplaintIntake(models.AbstractModel):
    """Intake of claims, whatever the channel: the checks and the matching of
    the customer that every channel (portal, public form, website API, phone,
    e-mail) shares. Channels add their own parsing in their add-ons."""

    _name = "complaint.intake"
    _description = "Complaint Intake"

    @api.model
    def _check_email(self, raw_email):
        """(normalized e-mail, error message) of an address a claimant typed."""
        raw_email = (raw_email or "").strip()
        if not raw_email:
            return False, self.env._("Enter your e-mail address: we send the claim's number there.")
        email = single_email_re.match(raw_email) and email_normalize(raw_email)
        if not email:
            return False, self.env._(
                "%s is not a valid e-mail address; it should look like name@example.com.",
                raw_email,
            )
        if self.env["mail.alias"].sudo().search_count([("alias_full_name", "=", email)], limit=1):
            return False, self.env._("This address is one of ours; enter your own e-mail address.")
        return email, None

    @api.model
    def _find_partner(self, email, company):
        """The contact of ``email`` in ``company`` (one with a user account
        first, then the oldest), or an empty recordset. Sudo: the channel's
        user need not see every contact to match one."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", email_normalize(email or "") or False),
                    ("company_id", "in", [False, company.id]),
                ],
                order="id",
            )
        )
        return partners.filtered("user_ids")[:1] or partners[:1]

    @api.model
    def _get_claimant(self, contact, company, confirmed_partner=None):
        """(contact of the claim, whether its address is unconfirmed).

        ``contact`` holds what the claimant typed (name, email, phone, company,
        lang). ``confirmed_partner`` is a contact already known to own the
        address (the logged-in user's). Anyone can type anyone's address, so a
        claim is never filed in the name of an existing contact on the word of
        the claimant: it gets a contact of its own and stays unconfirmed until
        the owner of the address confirms it (``_link_confirmed_claimant``).
        Existing contacts are never changed by what a claimant typed."""
        email = email_normalize(contact.get("email") or "")
        if confirmed_partner and email_normalize(confirmed_partner.email or "") == email:
            return confirmed_partner, False
        existing = self._find_partner(email, company)
        return self._create_contact(contact), bool(existing)

    @api.model
    def _create_contact(self, contact):
        # sudo: creating the claimant's contact is part of the intake, like the
        # mail gateway does; the channel's user need not manage contacts
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": contact["name"],
                    "email": contact["email"],
                    "phone": contact.get("phone") or False,
                    "company_name": contact.get("company") or False,
                    "lang": contact.get("lang") or self.env.lang or False,
                }
            )
        )

    @api.model
    def _link_confirmed_claimant(self, case):
        """The owner of the address of an unconfirmed ``case`` confirmed it:
        the case moves to the existing contact of that address (whose SLA
        policies then apply), the stand-in contact is archived when nothing
        else uses it, and a note tells the handlers."""
        case = case.sudo()
        stand_in = case.partner_id
        partner = self._find_partner(case.partner_email, case.company_id)
        values = {"email_unconfirmed": False}
        if partner and partner != stand_in:
            values["partner_id"] = partner.id
        case.write(values)
        if partner and partner != stand_in:
            comment = self.env.ref("mail.mt_comment")
            case.message_subscribe(partner_ids=partner.ids, subtype_ids=comment.ids)
            case.message_unsubscribe(partner_ids=stand_in.ids)
            if not stand_in.user_ids and not stand_in.complaint_case_ids:
                stand_in.active = False
        case.message_post(
            body=self.env._(
                "The owner of %(email)s confirmed the claim; it is now the claim of %(partner)s.",
                email=case.partner_email,
                partner=case.partner_id.display_name,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return case
