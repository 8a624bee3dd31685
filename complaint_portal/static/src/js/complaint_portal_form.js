/** @odoo-module **/
/*
 * Progressive enhancement of the claim filing form: the form works without
 * JavaScript (the server renders the items of the chosen invoice and checks
 * everything); this adds the items of another invoice without reloading, the
 * claimable maximum per item, serial fields only where they matter, and the
 * requirements and photo instructions of the chosen kind of claim only.
 */
import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

const PHOTO_TYPES = "image/jpeg,image/png,image/gif,image/webp";

/**
 * Show what to photograph for the chosen kind of claim only (every kind while
 * none is chosen); the server renders the instructions of all of them.
 */
function showPhotoInstructions(form, typeId) {
    for (const block of form.querySelectorAll("[data-photo-type]")) {
        block.classList.toggle("d-none", Boolean(typeId) && block.dataset.photoType !== typeId);
    }
}

publicWidget.registry.ComplaintPortalForm = publicWidget.Widget.extend({
    selector: ".o_complaint_portal_form",
    events: {
        "change select[name=invoice_id]": "_onInvoiceChange",
        "change select[name=type_id]": "_onTypeChange",
        "input .o_complaint_qty": "_onQuantityInput",
        "change .o_complaint_qty": "_onQuantityInput",
    },

    start() {
        // the items follow the invoice by themselves
        this.el.querySelector(".o_complaint_reload")?.classList.add("d-none");
        this._updateType();
        this._updateLines();
        return this._super(...arguments);
    },

    async _onInvoiceChange(ev) {
        const invoiceId = parseInt(ev.currentTarget.value);
        const container = this.el.querySelector(".o_complaint_lines");
        if (!invoiceId) {
            container.replaceChildren();
            return;
        }
        const { html } = await rpc(`/my/complaints/invoice/${invoiceId}/lines`, {});
        // rendered (and escaped) by the server's QWeb template of the same rows
        container.innerHTML = html;
        this._updateLines();
    },

    _onTypeChange() {
        this._updateType();
    },

    _onQuantityInput(ev) {
        const input = ev.currentTarget;
        const max = parseFloat(input.max);
        if (!isNaN(max) && parseFloat(input.value) > max) {
            input.value = input.max;
        }
        this._updateLines();
    },

    /** Serial fields only for the items being claimed; one serial per unit. */
    _updateLines() {
        for (const serial of this.el.querySelectorAll(".o_complaint_serial")) {
            const quantity = this.el.querySelector(
                `.o_complaint_qty[data-line-id="${serial.dataset.lineId}"]`
            );
            const claimed = quantity && parseFloat(quantity.value) > 0;
            serial.classList.toggle("d-none", !claimed);
            serial.required = Boolean(claimed && serial.dataset.tracking === "serial");
        }
    },

    /** Requirements, reasons and accepted files of the chosen kind of claim. */
    _updateType() {
        const select = this.el.querySelector("select[name=type_id]");
        const option = select?.selectedOptions[0];
        const typeId = option?.value || "";
        for (const item of this.el.querySelectorAll("[data-requirements-type]")) {
            item.classList.toggle("d-none", Boolean(typeId) && item.dataset.requirementsType !== typeId);
        }
        showPhotoInstructions(this.el, typeId);
        const reason = this.el.querySelector("select[name=reason_id]");
        if (reason) {
            for (const reasonOption of reason.options) {
                const typeIds = (reasonOption.dataset.typeIds || "").split(",").filter(Boolean);
                const hidden = Boolean(typeId) && typeIds.length > 0 && !typeIds.includes(typeId);
                reasonOption.hidden = hidden;
                if (hidden && reasonOption.selected) {
                    reason.value = "";
                }
            }
            const requiredFields = (option?.dataset.requiredFields || "").split(",");
            reason.required = requiredFields.includes("reason_id");
        }
        const files = this.el.querySelector("input[name=attachments]");
        if (files) {
            const photosOnly = option?.dataset.attachmentKind === "image";
            if (photosOnly) {
                files.accept = PHOTO_TYPES;
            } else {
                files.removeAttribute("accept");
            }
        }
    },
});

/** The public form: the photo instructions of the chosen kind of claim only. */
publicWidget.registry.ComplaintPublicForm = publicWidget.Widget.extend({
    selector: ".o_complaint_public_form",
    events: {
        "change select[name=type_id]": "_onTypeChange",
    },

    start() {
        this._onTypeChange();
        return this._super(...arguments);
    },

    _onTypeChange() {
        showPhotoInstructions(this.el, this.el.querySelector("select[name=type_id]")?.value || "");
    },
});

export default publicWidget.registry.ComplaintPortalForm;
