"""Every screen of the suite opens in Chromium, for each role, on the data that is
there (tools/test.sh runs this file on an empty database and on the demo one).

The walk is driven by what is installed: the menus of every ``complaint_*``
add-on (and every menu under a suite app), the smart buttons and banner links
that the suite's views declare, and the forms of other apps that the suite
extends. Add-ons still to come are covered without touching this file."""

import json
import re
from pathlib import Path

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

WALKER = (Path(__file__).parent / "screen_walker.js").read_text()
SUITE_MODULE = re.compile(r"^complaint_")
ACTION_REF = re.compile(r"^%\((?P<xmlid>[\w.]+)\)d$")
BUTTON_XPATH = (
    "//button[contains(concat(' ', @class, ' '), ' oe_stat_button ')]"
    " | //div[contains(concat(' ', @class, ' '), ' alert ')]//button"
    " | //kanban//button[@type] | //kanban//a[@type]"
    # header buttons that open a wizard (and change nothing until it is confirmed)
    " | //button[@type='action'] | //button[starts-with(@name, 'action_open_')]"
)


@tagged("post_install", "-at_install", "complaint_screens")
class TestScreens(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = {
            "admin": cls.env.ref("base.user_admin"),
            "handler": new_test_user(
                cls.env,
                login="screens_handler",
                groups="base.group_user,complaint_base.group_complaint_user",
            ),
            "manager": new_test_user(
                cls.env,
                login="screens_manager",
                groups="base.group_user,complaint_base.group_complaint_manager",
            ),
        }
        cls.suite_views = cls._suite_records("ir.ui.view")

    @classmethod
    def _suite_records(cls, model):
        data = cls.env["ir.model.data"].search([("model", "=", model)])
        return (
            cls.env[model]
            .browse(data.filtered(lambda d: SUITE_MODULE.match(d.module)).mapped("res_id"))
            .exists()
        )

    def _plan_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        menus.pop("root")
        suite_apps = {
            menu["id"]
            for menu in menus.values()
            if menu["id"] == menu["app_id"] and SUITE_MODULE.match(menu["xmlid"])
        }
        return [
            menu["xmlid"]
            for menu in sorted(menus.values(), key=lambda m: (m["app_id"], m["id"]))
            if menu["action"]
            and (SUITE_MODULE.match(menu["xmlid"]) or menu["app_id"] in suite_apps)
        ]

    def _plan_buttons(self):
        names = set()
        for view in self.suite_views:
            for button in etree.fromstring(view.arch_db).xpath(BUTTON_XPATH):
                name = button.get("name") or ""
                ref = ACTION_REF.match(name)
                if ref:
                    name = str(self.env.ref(ref["xmlid"]).id)
                if name and button.get("type") in ("object", "action"):
                    names.add(name)
        return sorted(names)

    def _plan_forms(self, user):
        """One record of each other app's model whose form the suite extends,
        preferably one that has cases."""
        forms = []
        models = {
            view.model
            for view in self.suite_views
            if view.type == "form" and not view.model.startswith("complaint.")
        }
        cases = self.env["complaint.case"].search([], order="id")
        preferred = {
            "res.partner": cases.partner_id,
            "account.move": cases.invoice_id,
            "product.product": cases.line_ids.product_id,
            "product.template": cases.line_ids.product_id.product_tmpl_id,
            "stock.lot": cases.line_ids.lot_id,
        }
        for model in sorted(models):
            records = self.env[model].with_user(user)
            if model not in self.env or not records.has_access("read"):
                continue
            wanted = preferred.get(model, records.browse())
            record = records.search([("id", "in", wanted.ids)], limit=1) or records.search(
                [], limit=1
            )
            if record:
                forms.append({"model": model, "id": record.id})
        return forms

    def test_every_screen_opens_for_each_role(self):
        buttons = self._plan_buttons()
        self.assertTrue(buttons, "the suite's views declare smart buttons")
        for role, user in self.roles.items():
            plan = {
                "menus": self._plan_menus(user),
                "buttons": buttons,
                "forms": self._plan_forms(user),
            }
            self.assertIn("complaint_base.complaint_case_menu", plan["menus"])
            with self.subTest(role=role, menus=len(plan["menus"])):
                self.browser_js(
                    "/odoo",
                    f"{WALKER}\nwalkScreens({json.dumps(plan)});",
                    "odoo.isReady === true",
                    login=user.login,
                    timeout=900,
                    success_signal="screen walk succeeded",
                )
