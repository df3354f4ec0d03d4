// A Copy button for a text field (the private link). Without JavaScript the button stays hidden
// and the field can be selected and copied by hand.
(function () {
  "use strict";
  document.querySelectorAll("button.copy-button").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copy + "-status");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.focus();
      field.select();
      let copied = false;
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(field.value);
          copied = true;
        } else {
          copied = document.execCommand("copy");
        }
      } catch (e) {
        copied = false;
      }
      if (status) status.textContent = copied ? button.dataset.copied : button.dataset.failed;
    });
  });
})();
