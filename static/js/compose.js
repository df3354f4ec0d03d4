// The compose form: keeps the chosen recommendations in the student's order and counts characters.
// Works without it too: the server then keeps the lists' own order.
(function () {
  "use strict";
  const form = document.getElementById("letter-form");
  if (!form) return;

  // The draft survives a language switch and a reload: what the student types is kept in this
  // tab's sessionStorage (gone when the tab closes) until the form is sent to the server.
  const draftKey = "compose-draft:" + window.location.pathname;
  const skipped = ["csrfmiddlewaretoken", "website"];
  function fields() {
    return Array.from(form.elements).filter((el) => el.name && !skipped.includes(el.name) && el.type !== "submit" && el.type !== "button");
  }
  function saveDraft() {
    const data = {};
    fields().forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else {
        data[el.name] = el.value;
      }
    });
    try { window.sessionStorage.setItem(draftKey, JSON.stringify(data)); } catch (e) { /* storage off or full */ }
  }
  function restoreDraft() {
    let data = null;
    try { data = JSON.parse(window.sessionStorage.getItem(draftKey) || "null"); } catch (e) { data = null; }
    // A page the server sent back with errors already holds what was typed.
    if (!data || document.getElementById("error-summary")) return;
    fields().forEach((el) => {
      if (!(el.name in data)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].includes(el.value);
      } else {
        el.value = data[el.name];
      }
    });
  }
  restoreDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("submit", () => {
    try { window.sessionStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ }
  });
  const kept = document.getElementById("draft-kept");
  if (kept) kept.hidden = false;

  const orderInput = form.querySelector("input[name=recommendation_order]");
  const boxes = Array.from(form.querySelectorAll("input[name=recommendations]"));
  const list = document.getElementById("chosen-order");
  const card = document.getElementById("chosen-order-card");
  const status = document.getElementById("order-status");
  // Words come from the page, in the page's language.
  const words = form.dataset;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  let order = (orderInput.value || "").split(",").filter(Boolean);

  function sync() {
    const checked = boxes.filter((b) => b.checked).map((b) => b.value);
    order = order.filter((id) => checked.includes(id));
    checked.forEach((id) => { if (!order.includes(id)) order.push(id); });
    orderInput.value = order.join(",");
    render();
  }

  function move(index, delta) {
    const target = index + delta;
    if (target < 0 || target >= order.length) return;
    [order[index], order[target]] = [order[target], order[index]];
    orderInput.value = order.join(",");
    render();
    saveDraft();
    const buttons = list.querySelectorAll("li")[target].querySelectorAll("button");
    (delta < 0 ? buttons[0] : buttons[1]).focus();
    status.textContent = fill(words.moved, { position: target + 1, total: order.length });
  }

  function button(label, text, disabled, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.disabled = disabled;
    b.addEventListener("click", onClick);
    return b;
  }

  function render() {
    list.replaceChildren();
    card.hidden = order.length === 0;
    order.forEach((id, index) => {
      const box = boxes.find((b) => b.value === id);
      const text = box ? box.dataset.text : "";
      const li = document.createElement("li");
      const row = document.createElement("div");
      row.className = "d-flex gap-2 align-items-start";
      const span = document.createElement("span");
      span.className = "flex-grow-1";
      span.textContent = text;
      const group = document.createElement("span");
      group.className = "btn-group flex-shrink-0";
      const short = text.length > 60 ? text.slice(0, 57) + "…" : text;
      group.append(
        button(words.moveUp + ": " + short, "↑", index === 0, () => move(index, -1)),
        button(words.moveDown + ": " + short, "↓", index === order.length - 1, () => move(index, 1)),
      );
      row.append(span, group);
      li.append(row);
      list.append(li);
    });
  }

  boxes.forEach((b) => b.addEventListener("change", sync));
  sync();

  const textarea = form.querySelector("textarea[name=personal_paragraph]");
  const counter = document.getElementById("personal-count");
  if (textarea && counter) {
    const max = parseInt(counter.dataset.max, 10);
    const update = () => {
      // The server counts a line break as one character, as the browser does.
      const used = textarea.value.replace(/\r\n/g, "\n").length;
      counter.textContent = fill(words.count, { used: used, max: max });
      counter.classList.toggle("over", used > max);
    };
    textarea.addEventListener("input", update);
    update();
  }

  // Facts the student may add to their own words, each with its source, in the language of
  // the letter (the one ticked, or the only one the campaign offers), not the page's.
  function letterLanguage() {
    const ticked = form.querySelector("input[name=letter_language]:checked");
    return ticked ? ticked.value : form.dataset.letterLanguage;
  }
  document.querySelectorAll("button.add-fact").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      if (!textarea) return;
      const language = letterLanguage();
      const sentence = button.dataset["sentence" + language.charAt(0).toUpperCase() + language.slice(1)]
        || button.dataset.sentenceEn;
      const current = textarea.value.trimEnd();
      textarea.value = current ? current + " " + sentence : sentence;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      textarea.focus();
    });
  });

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // After "Find my members", the answer is where the student's attention (and reader) goes.
  // (the ZIP code field itself when it could not be read: its error is announced with it)
  // Once the page is loaded: the browser's own jump to the #congress-fieldset fragment (which
  // serves pages without JavaScript) would otherwise take the focus back.
  const found = document.querySelector("#congress-fieldset [data-focus]");
  if (found && !summary) window.addEventListener("load", () => found.focus());
})();
