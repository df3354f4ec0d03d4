// Letter template change page: re-render the sample letter as the administrator types.
(function () {
  "use strict";
  const editor = document.getElementById("template-editor");
  if (!editor) return;
  const form = editor.closest("form");
  const preview = document.getElementById("template-preview");
  const status = document.getElementById("template-preview-status");
  const fields = ["campaign", "language", "subject", "greeting", "body", "closing"];
  let timer = null;
  let sequence = 0;

  function payload() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fields.forEach((name) => {
      const field = form.elements[name];
      if (field) data.append(name, field.value);
    });
    return data;
  }

  async function refresh() {
    const mine = ++sequence;
    status.classList.remove("error");
    status.textContent = "Updating the preview…";
    let response;
    try {
      response = await fetch(editor.dataset.previewUrl, { method: "POST", body: payload(), credentials: "same-origin" });
    } catch (error) {
      status.textContent = "The preview could not be reached.";
      status.classList.add("error");
      return;
    }
    if (mine !== sequence) return; // a newer request is on its way
    const data = await response.json().catch(() => ({ error: "The preview failed." }));
    if (data.error) {
      status.textContent = data.error;
      status.classList.add("error");
      return;
    }
    // The server escaped every value; the markup is the letter's own template.
    preview.innerHTML = data.html;
    status.textContent = "Preview up to date.";
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }

  fields.forEach((name) => {
    const field = form.elements[name];
    if (!field) return;
    field.addEventListener("input", schedule);
    field.addEventListener("change", schedule);
  });

  document.getElementById("template-preview-pdf").addEventListener("click", () => {
    // Post the fields as typed to the PDF endpoint, in a new tab.
    const pdfForm = document.createElement("form");
    pdfForm.method = "post";
    pdfForm.action = editor.dataset.previewPdfUrl;
    pdfForm.target = "_blank";
    for (const [name, value] of payload().entries()) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      pdfForm.append(input);
    }
    document.body.append(pdfForm);
    pdfForm.submit();
    pdfForm.remove();
  });

  refresh();
})();
