// The review queue: "select all" ticks every letter on the page.
(function () {
  "use strict";
  const all = document.getElementById("select-all");
  if (!all) return;
  const boxes = Array.from(document.querySelectorAll(".letter-choice"));
  all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
})();
