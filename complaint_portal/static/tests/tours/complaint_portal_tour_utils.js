/** @odoo-module **/

// a 1x1 PNG: the browser sends it like any photo the customer picks
const PNG_1PX =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";

/**
 * Put a photo into a file input as if the customer had chosen it: tours cannot
 * open the file picker, but the form then posts the file like any other.
 */
export async function choosePhoto(input, name) {
    const blob = await (await fetch(`data:image/png;base64,${PNG_1PX}`)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], name, { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}
