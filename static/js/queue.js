// The review queue: "select all" ticks every letter on the page. The box is hidden until this
// script runs (without it, it would do nothing), and a tick given before it ran still counts.
(function () {
  "use strict";
  const all = document.getElementById("select-all");
  if (!all) return;
  const boxes = Array.from(document.querySelectorAll(".letter-choice"));
  function applyAll() {
    boxes.forEach((box) => { box.checked = all.checked; });
    all.indeterminate = false;
  }
  function reflect() {
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.addEventListener("change", applyAll);
  boxes.forEach((box) => box.addEventListener("change", reflect));
  if (all.checked) applyAll();
  else reflect();
  all.hidden = false;
})();
