// Warn before the idle time-out (the server signs out after SESSION_IDLE_TIMEOUT_SECONDS).
// A native modal <dialog> keeps focus inside it and is announced with its heading and text.
const body = document.body;
const dialog = document.getElementById("session-timeout-dialog");
const warnAfter = Number(body.dataset.sessionWarning) * 1000;
const signOutAfter = Number(body.dataset.sessionTimeout) * 1000;

if (dialog && warnAfter > 0 && signOutAfter > warnAfter) {
  const stay = document.getElementById("session-stay-signed-in");
  const countdown = document.getElementById("session-timeout-countdown");
  const csrf = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  let warnTimer;
  let signOutTimer;
  let tick;

  const words = (ms) => {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.round(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  // Sign out on the server (the dialog's own form), then land on the "signed out" page.
  const signOut = () => {
    const form = dialog.querySelector("form");
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = body.dataset.signedOutUrl;
    form.appendChild(next);
    form.submit();
  };

  const start = () => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(signOutTimer);
    window.clearInterval(tick);
    const deadline = Date.now() + signOutAfter;
    warnTimer = window.setTimeout(() => {
      countdown.textContent = words(deadline - Date.now());
      dialog.showModal();
      stay.focus();
      // Update the words each minute (each second at the end) without re-announcing constantly.
      tick = window.setInterval(() => {
        countdown.textContent = words(deadline - Date.now());
      }, 1000);
    }, warnAfter);
    signOutTimer = window.setTimeout(signOut, signOutAfter);
  };

  stay.addEventListener("click", async () => {
    const response = await fetch(body.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.status === 204) {
      dialog.close();
      start();
    } else {
      window.location.href = body.dataset.signedOutUrl; // the session had already ended
    }
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape means "stay signed in", not "ignore the warning".
    event.preventDefault();
    stay.click();
  });
  start();
}
