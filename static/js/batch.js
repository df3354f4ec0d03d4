// The batch page: poll the progress endpoint and update the bar until the batch is finished.
(function () {
  "use strict";
  const section = document.getElementById("batch-progress");
  if (!section) return;
  const bar = document.getElementById("progress-bar");
  const fill = document.getElementById("progress-fill");
  const done = document.getElementById("progress-done");
  let reloadForPack = !document.querySelector("#pack-status a") && document.getElementById("pack-status");

  async function poll() {
    let data;
    try {
      const response = await fetch(section.dataset.url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.status);
      data = await response.json();
    } catch (error) {
      setTimeout(poll, 5000);
      return;
    }
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    fill.textContent = data.percent + "%";
    section.querySelectorAll("[data-count]").forEach((el) => { el.textContent = data[el.dataset.count]; });
    done.hidden = !data.finished;
    if (reloadForPack && (data.pack_ready || data.pack_error)) { window.location.reload(); return; }
    if (!data.finished || (reloadForPack && !data.pack_ready && !data.pack_error)) setTimeout(poll, 1500);
    else if (data.failed > 0 && !document.getElementById("failures-heading")) window.location.reload();
  }
  poll();
})();
