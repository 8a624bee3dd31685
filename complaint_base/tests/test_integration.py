import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

LOOKUP_URL = "/complaint/api/phone/lookup?number=0048601234567"


@tagged("post_install", "-at_install")
class TestIntegrationKeys(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="integration_test_manager",
            groups="base.group_user,complaint_base.group_complaint_manager",
        )
        cls.integration = cls.env["complaint.integration"].create({"name": "PBX", "kind": "phone"})

    def _lookup(self, key):
        return self.url_open(LOOKUP_URL, headers={"Authorization": f"Bearer {key}"})

    def test_keys_default_to_the_api_user(self):
        api_user = self.env.ref("complaint_base.user_complaint_api")
        self.assertEqual(self.integration.user_id, api_user)
        self.assertTrue(api_user.active)
        self.assertFalse(api_user.share)
        self.assertTrue(api_user.has_group("complaint_base.group_complaint_user"))
        self.assertFalse(api_user.has_group("complaint_base.group_complaint_manager"))
        self.assertFalse(api_user.has_group("base.group_system"))

    def test_key_is_stored_hashed_and_shown_once(self):
        self.authenticate("integration_test_manager", "integration_test_manager")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "complaint.integration",
                "method": "action_generate_key",
                "args": [self.integration.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(result["res_model"], "complaint.integration.key")
        key = result["context"]["default_key"]
        for model in ("complaint.integration.key", "complaint.integration"):
            views = self.env[model].with_user(self.manager).get_views([(False, "form")])
            self.assertIn("form", views["views"])
        self.assertGreaterEqual(len(key), 32)
        self.assertEqual(self._lookup(key).status_code, 200)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT * FROM complaint_integration WHERE id = %s", self.integration.ids
        )
        row = self.env.cr.fetchone()
        self.assertFalse([value for value in row if isinstance(value, str) and key in value])
        # a new key replaces it at once
        new_key = self.integration._generate_key()
        self.assertNotEqual(new_key, key)
        with mute_logger("odoo.addons.complaint_base.models.complaint_integration"):
            self.assertEqual(self._lookup(key).status_code, 401)
        self.assertEqual(self._lookup(new_key).status_code, 200)

    @mute_logger("odoo.addons.complaint_base.models.complaint_integration")
    def test_wrong_keys_are_logged_and_throttled(self):
        key = self.integration._generate_key()
        wrong = key[:8] + "x" * 35
        for _index in range(10):
            response = self._lookup(wrong)
            self.assertEqual(response.status_code, 401)
            self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        failures = self.env["complaint.integration.failure"].search([("ip", "=", "127.0.0.1")])
        self.assertEqual(len(failures), 10)
        # from now on even the right key waits
        response = self._lookup(key)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(json.loads(response.content)["error"], "too_many_attempts")
        failures.unlink()
        self.assertEqual(self._lookup(key).status_code, 200)
