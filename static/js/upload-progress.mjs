// Poll an extract import's progress and update the page; reload when it finishes.
const container = document.getElementById("import-progress");
if (container) {
  const text = document.getElementById("import-progress-text");
  const bar = document.getElementById("import-progress-bar");
  const poll = async () => {
    try {
      // X-Background: polling is not the user doing something, so it does not keep the session alive.
      const response = await fetch(container.dataset.progressUrl, {
        headers: { Accept: "application/json", "X-Background": "1" },
      });
      if (response.ok) {
        const progress = await response.json();
        if (progress.finished) {
          window.location.reload();
          return;
        }
        bar.value = progress.percent;
        bar.textContent = `${progress.percent}%`;
        text.textContent = progress.rows_total
          ? `${progress.status_label}: ${progress.rows_checked.toLocaleString("en-GB")} of about ${progress.rows_total.toLocaleString("en-GB")} rows checked`
          : progress.status_label;
      }
    } catch {
      // Network blip: try again on the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
}
