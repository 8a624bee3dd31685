import tempfile
from pathlib import Path

from odoo import Command
from odoo.tests import tagged

from .common import ErpSyncCommon


@tagged("post_install", "-at_install")
class TestErpInbound(ErpSyncCommon):
    def test_full_import_creates_posted_invoices_a_case_can_be_filed_against(self):
        self.sim.seed(invoices=5, lines=3, customers=2, products=4)
        outcomes = self.import_full()
        self.assertFalse(outcomes.get("failed"), self.runner.errors)
        Invoice = self.env["complaint.erp.invoice"]
        bindings = Invoice.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(bindings), 5)
        self.assertEqual(set(bindings.move_id.mapped("state")), {"posted"})
        self.assertEqual(set(bindings.mapped(lambda b: len(b.move_id.invoice_line_ids))), {3})
        # pages of two: 3 pages of invoices, each asked once
        invoice_pages = [r for r in self.sim.requests if r[1] == "/api/invoices"]
        self.assertEqual(len(invoice_pages), 3)
        binding = self.binding("invoice", "I0")
        self.assertEqual(binding.external_number, "ERP/000000")
        self.assertEqual(binding.move_id.ref, "ERP/000000")
        line = binding.line_binding_ids.filtered(lambda b: b.external_id == "I0-0")
        self.assertEqual(line.lot_ids.name, "SN0-0")
        self.assertEqual(line.lot_ids.product_id, line.move_line_id.product_id)
        self.assertEqual(self.binding("product", "P0").product_id.tracking, "serial")
        self.assertEqual(self.binding("product", "P1").product_id.tracking, "none")
        case = self.env["complaint.case"].create(
            {
                "subject": "Machine leaks",
                "partner_id": binding.move_id.partner_id.id,
                "type_id": self.type_complaint.id,
                "invoice_id": binding.move_id.id,
                "line_ids": [
                    Command.create(
                        {
                            "invoice_line_id": line.move_line_id.id,
                            "lot_id": line.lot_ids.id,
                            "quantity": 1,
                        }
                    )
                ],
            }
        )
        self.assertEqual(case.line_ids.product_id, line.move_line_id.product_id)
        self.assertEqual(
            self.backend.sync_watermarks["invoices"], self.sim.data["invoices"]["I4"]["updated_at"]
        )
        self.assertTrue(self.backend.last_import_date)

    def test_incremental_import_applies_changes_and_deletions_in_place(self):
        self.sim.seed(invoices=3, lines=3, customers=2, products=4)
        self.import_full()
        binding = self.binding("invoice", "I1")
        kept_line = binding.line_binding_ids.filtered(
            lambda b: b.external_id == "I1-0"
        ).move_line_id
        case = self.env["complaint.case"].create(
            {
                "subject": "Wrong item",
                "partner_id": binding.move_id.partner_id.id,
                "type_id": self.type_complaint.id,
                "invoice_id": binding.move_id.id,
                "line_ids": [Command.create({"invoice_line_id": kept_line.id, "quantity": 1})],
            }
        )
        lines = self.sim.data["invoices"]["I1"]["lines"]
        lines[0] = {**lines[0], "quantity": 4.0}
        self.sim.put("invoices", "I1", lines=[lines[0], lines[1], {"id": "I1-9", "product_id": "P1",
                     "name": "Added", "quantity": 2.0, "price_unit": 5.0}])  # fmt: skip
        self.sim.delete("invoices", "I2")
        self.sim.delete("partners", "C1")
        self.sim.requests.clear()
        self.import_changes()
        # only what changed since the last import was asked for
        since = {r[1]: r[2].get("since") for r in self.sim.requests if r[1].startswith("/api/")}
        self.assertTrue(all(since[path] for path in ("/api/partners", "/api/invoices")), since)
        move = binding.move_id
        self.assertEqual(move.state, "posted")
        self.assertIn(kept_line, move.invoice_line_ids, "the claimed line is kept, not replaced")
        self.assertEqual(kept_line.quantity, 4.0)
        self.assertEqual(case.line_ids.invoice_line_id, kept_line)
        self.assertEqual(
            sorted(binding.line_binding_ids.mapped("external_id")), ["I1-0", "I1-1", "I1-9"]
        )
        self.assertEqual(len(move.invoice_line_ids), 3)
        deleted = self.binding("invoice", "I2")
        self.assertTrue(deleted.erp_deleted)
        self.assertEqual(deleted.move_id.state, "cancel")
        partner = self.binding("partner", "C1")
        self.assertTrue(partner.erp_deleted)
        self.assertFalse(partner.partner_id.active)

    def test_full_import_sweeps_records_the_erp_no_longer_lists(self):
        self.sim.seed(invoices=3, lines=1, customers=1, products=2)
        self.import_full()
        self.sim.purge("invoices", "I0")
        self.import_full()
        self.assertTrue(self.binding("invoice", "I0").erp_deleted)
        self.assertEqual(self.binding("invoice", "I0").move_id.state, "cancel")
        self.assertFalse(self.binding("invoice", "I1").erp_deleted)

    def test_import_survives_faults_without_duplicates(self):
        self.sim.seed(invoices=6, lines=3, customers=2, products=4)
        self.sim.fail("500", path="/api/invoices")
        self.sim.fail("timeout", path="/api/products")
        self.sim.fail("drop", path="/api/partners")
        self.sim.fail("repeat", times=2, path="/api/invoices")
        outcomes = self.import_full()
        self.assertGreaterEqual(outcomes.get("retry", 0), 3, outcomes)
        self.assertFalse(outcomes.get("failed"), self.runner.errors)
        invoices = self.env["complaint.erp.invoice"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(invoices), 6)
        self.assertEqual(len(invoices.move_id), 6)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("ref", "like", "ERP/"), ("state", "=", "posted")]
            ),
            6,
        )
        self.assertEqual(len(self.env["complaint.erp.partner"].search([])), 2)

    def test_a_restart_mid_import_loses_nothing_and_repeats_nothing(self):
        self.sim.seed(invoices=4, lines=3, customers=1, products=2)
        self.backend.action_import_full()
        self.runner.drain(rounds=3)  # partners, products, lots imported
        page = self.runner.jobs()
        self.assertEqual(len(page), 1)
        self.runner.crash(page)  # the first invoice page dies with the server
        self.assertEqual(page.state, "started")
        self.assertFalse(self.env["complaint.erp.invoice"].search([]))
        self.assertEqual(self.runner.requeue_dead(), [page.uuid])
        self.runner.drain()
        self.assertEqual(len(self.env["complaint.erp.invoice"].search([])), 4)
        self.assertEqual(self.env["account.move"].search_count([("ref", "like", "ERP/")]), 4)

    def test_older_versions_never_overwrite_newer_ones(self):
        item = self.sim.put("partners", "C7", name="Old Name")
        newer = self.sim.put("partners", "C7", name="New Name")
        Partner = self.env["complaint.erp.partner"]
        Partner._erp_import_items(self.backend, [newer])
        Partner._erp_import_items(self.backend, [item])  # delivered late
        Partner._erp_import_items(self.backend, [newer, item])  # twice, in one page
        binding = self.binding("partner", "C7")
        self.assertEqual(len(binding), 1)
        self.assertEqual(binding.partner_id.name, "New Name")

    def test_missing_references_are_fetched_from_the_erp(self):
        self.sim.put("partners", "C5", name="Late Customer")
        self.sim.put("products", "P5", name="Drill", code="DR-5", tracking="serial")
        invoice = self.sim.put("invoices", "I5", number="ERP/5", partner_id="C5", date="2026-02-01",
                               lines=[{"id": "I5-0", "product_id": "P5", "quantity": 1,
                                       "price_unit": 99, "serials": ["DR-0001"]}])  # fmt: skip
        self.env["complaint.erp.invoice"]._erp_import_items(self.backend, [invoice])
        binding = self.binding("invoice", "I5")
        self.assertEqual(binding.move_id.partner_id.name, "Late Customer")
        self.assertEqual(binding.line_binding_ids.lot_ids.name, "DR-0001")
        self.assertEqual(self.binding("product", "P5").product_id.default_code, "DR-5")

    def test_file_drop_reads_csv_and_xml_once(self):
        folder = Path(tempfile.mkdtemp())
        (folder / "partners_1.csv").write_text(
            "id,name,email,updated_at\nF1,Drop Customer,d@example.com,2026-01-01T10:00:00\n"
        )
        (folder / "products_1.xml").write_text(
            '<erp><product id="FP1" name="Kettle" code="KT-1" tracking="serial" '
            'updated_at="2026-01-01T10:00:00"/></erp>'
        )
        (folder / "invoices_1.csv").write_text(
            "id,number,partner_id,date,updated_at,line_id,line_product_id,line_quantity,"
            "line_price_unit,line_serials\n"
            "FI1,DROP/1,F1,2026-01-05,2026-01-05T10:00:00,FI1-0,FP1,2,30,KT-A KT-B\n"
            "FI1,DROP/1,F1,2026-01-05,2026-01-05T10:00:00,FI1-1,FP1,1,30,KT-C\n"
        )
        backend = self.env["complaint.erp.backend"].create(
            {"name": "Drop", "kind": "file", "drop_folder": str(folder), "file_format": "xml"}
        )
        backend.action_import_full()
        self.runner.drain()
        backend.file_format = "csv"
        backend.action_import_full()
        self.runner.drain()
        backend.action_import_full()  # the same files again: nothing read twice
        self.runner.drain()
        binding = self.binding("invoice", "FI1", backend=backend)
        self.assertEqual(binding.move_id.state, "posted")
        self.assertEqual(len(binding.move_id.invoice_line_ids), 2)
        self.assertEqual(
            sorted(binding.line_binding_ids.lot_ids.mapped("name")), ["KT-A", "KT-B", "KT-C"]
        )
        files = self.env["complaint.erp.exchange"].search(
            [("backend_id", "=", backend.id), ("message_type", "=", "file")]
        )
        self.assertEqual(len(files), 3)
