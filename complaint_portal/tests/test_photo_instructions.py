import base64
import io

from PIL import Image

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ComplaintPortalCommon

WARRANTY_TEXT = (
    "Photograph the serial-number plate on the back of the device and the damage close up."
)
RETURN_TEXT = "Photograph the parcel with its shipping label."


@tagged("post_install", "-at_install")
class TestPhotoInstructions(ComplaintPortalCommon):
    """What to photograph for each kind of claim, next to the file inputs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_warranty.write(
            {
                "photo_instructions": WARRANTY_TEXT,
                "photo_example": base64.b64encode(cls._png((40, 30))),
            }
        )
        cls.type_return.photo_instructions = RETURN_TEXT
        cls.type_complaint.write({"photo_instructions": False, "photo_example": False})

    def test_portal_form_shows_the_instructions_of_each_type(self):
        self.authenticate("portal_test_a", "portal_test_a")
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(f'data-photo-type="{self.type_warranty.id}"', text)
        self.assertIn(f'data-photo-type="{self.type_return.id}"', text)
        # a type without instructions has no block
        self.assertNotIn(f'data-photo-type="{self.type_complaint.id}"', text)
        self.assertIn(WARRANTY_TEXT, text)
        self.assertIn(RETURN_TEXT, text)
        self.assertIn('src="data:image/png;base64,', text)

    def test_public_form_shows_them_to_visitors(self):
        self.authenticate(None, None)
        response = self.url_open("/complaint/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn(WARRANTY_TEXT, response.text)
        self.assertIn(f'data-photo-type="{self.type_warranty.id}"', response.text)
        self.assertIn('href="/complaint/status"', response.text)

    def test_instructions_follow_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fi_FI")
        self.type_warranty.with_context(lang="fi_FI").photo_instructions = "Kuvaa arvokilpi."
        self.portal_a.lang = "fi_FI"
        self.authenticate("portal_test_a", "portal_test_a")
        text = self.url_open("/my/complaints/new").text
        self.assertIn("Kuvaa arvokilpi.", text)
        self.assertNotIn(WARRANTY_TEXT, text)

    def test_example_photo_is_kept_small(self):
        stream = io.BytesIO()
        Image.new("RGB", (2400, 1200), (10, 120, 200)).save(stream, format="PNG")
        self.type_warranty.photo_example = base64.b64encode(stream.getvalue())
        for field_name, width in (("photo_example", 1024), ("photo_example_512", 512)):
            data = base64.b64decode(self.type_warranty[field_name])
            with Image.open(io.BytesIO(data)) as image:
                self.assertEqual(image.size, (width, width // 2), field_name)

    def test_type_form_offers_the_photo_fields(self):
        manager = new_test_user(
            self.env,
            login="portal_test_photo_manager",
            groups="base.group_user,complaint_base.group_complaint_manager",
        )
        for user in (manager, self.handler):
            views = self.env["complaint.type"].with_user(user).get_views([(False, "form")])
            arch = views["views"]["form"]["arch"]
            self.assertIn('name="photo_instructions"', arch)
            self.assertIn('name="photo_example"', arch)
        form = self.env["complaint.type"].with_user(manager).browse(self.type_warranty.id)
        self.assertEqual(form.photo_instructions, WARRANTY_TEXT)


@tagged("post_install", "-at_install")
class TestShippedPhotoInstructions(TransactionCase):
    def test_published_types_say_what_to_photograph(self):
        published = self.env["complaint.type"].search(
            [("portal_published", "=", True), ("company_id", "=", False)]
        )
        for xmlid in ("complaint", "warranty", "return", "discrepancy"):
            complaint_type = self.env.ref(f"complaint_base.complaint_type_{xmlid}")
            if complaint_type in published:
                self.assertTrue(complaint_type.photo_instructions, xmlid)
        warranty = self.env.ref("complaint_base.complaint_type_warranty")
        self.assertIn("serial-number plate", warranty.photo_instructions)
        self.assertTrue(warranty.photo_example_512)
