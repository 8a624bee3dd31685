"""Every message of the suite is translated in the languages the suite ships.

For every ``complaint_*`` add-on at the root of the repository (add-ons still
to come are covered without touching this file):
- its ``i18n/<addon>.pot`` holds exactly the terms that Odoo exports from the
  code, views and data of the installed add-on (a term added or changed in the
  code without refreshing the template fails here);
- each of ``fi.po``, ``pl.po`` and ``sl.po`` translates every message of the
  template: no message missing, empty or fuzzy, and the same placeholders as
  the English text (a wrong placeholder breaks the message at run time).
"""

import io
import re
from collections import Counter
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

REPO_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "pl", "sl")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


def suite_addons():
    return sorted(
        path.name for path in REPO_ROOT.glob("complaint_*") if (path / "__manifest__.py").is_file()
    )


def message_key(entry):
    return (entry.msgctxt or "", entry.msgid)


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text or ""))


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_suite_has_addons(self):
        self.assertIn("complaint_base", suite_addons())

    def test_every_message_translated(self):
        problems = []
        for addon in suite_addons():
            i18n = REPO_ROOT / addon / "i18n"
            pot_path = i18n / f"{addon}.pot"
            if not pot_path.is_file():
                problems.append(f"{addon}: no i18n/{addon}.pot")
                continue
            template = polib.pofile(str(pot_path))
            for lang in LANGUAGES:
                po_path = i18n / f"{lang}.po"
                if not po_path.is_file():
                    problems.append(f"{addon}: no i18n/{lang}.po")
                    continue
                translations = {message_key(entry): entry for entry in polib.pofile(str(po_path))}
                for entry in template:
                    if entry.obsolete:
                        continue
                    translated = translations.get(message_key(entry))
                    where = f"{addon}/i18n/{lang}.po: {entry.msgid[:70]!r}"
                    if translated is None or translated.obsolete:
                        problems.append(f"{where} is missing")
                    elif "fuzzy" in translated.flags:
                        problems.append(f"{where} is fuzzy")
                    elif entry.msgid_plural:
                        if not translated.msgstr_plural or not all(
                            translated.msgstr_plural.values()
                        ):
                            problems.append(f"{where} has an empty plural form")
                    elif not translated.msgstr.strip():
                        problems.append(f"{where} is not translated")
                    elif placeholders(translated.msgstr) != placeholders(entry.msgid):
                        problems.append(f"{where} has other placeholders than the English")
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def test_templates_follow_the_code(self):
        """The terms Odoo exports from each installed add-on are those of its
        template (ordering, comments and references aside)."""
        Module = self.env["ir.module.module"]
        installed = Module.search(
            [("name", "in", suite_addons()), ("state", "=", "installed")]
        ).mapped("name")
        self.assertIn("complaint_base", installed)
        problems = []
        for addon in installed:
            pot_path = REPO_ROOT / addon / "i18n" / f"{addon}.pot"
            if not pot_path.is_file():
                problems.append(f"{addon}: no i18n/{addon}.pot")
                continue
            buffer = io.BytesIO()
            trans_export(False, [addon], buffer, "po", self.env.cr)
            exported = {
                message_key(entry)
                for entry in polib.pofile(buffer.getvalue().decode())
                if entry.msgid
            }
            in_file = {
                message_key(entry)
                for entry in polib.pofile(str(pot_path))
                if entry.msgid and not entry.obsolete
            }
            for _context, msgid in sorted(exported - in_file):
                problems.append(f"{addon}.pot lacks {msgid[:70]!r} (refresh it from the code)")
            for _context, msgid in sorted(in_file - exported):
                problems.append(f"{addon}.pot still has {msgid[:70]!r}, gone from the code")
        self.assertFalse(problems, "\n" + "\n".join(problems))
