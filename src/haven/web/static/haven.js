/* Haven web UI: quick exit, inactivity lock, keyboard triage, reveal of blurred media,
   ingest progress. Served from this server only; no inline script is ever needed. */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  /* Quick exit: hide everything at once, lock in the background, replace this history entry. */
  function quickExit() {
    document.documentElement.classList.add("leaving");
    try {
      fetch("/exit", {method: "POST", headers: {"X-CSRF-Token": csrf},
                      credentials: "same-origin", keepalive: true, redirect: "manual"});
    } catch (e) { /* leave anyway */ }
    window.location.replace("/weather");
  }
  var exitButton = document.getElementById("quick-exit");
  if (exitButton) {
    exitButton.addEventListener("click", function (event) {
      event.preventDefault();
      quickExit();
    });
  }
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var now = Date.now();
      if (now - lastEscape < 1000) { quickExit(); return; }
      lastEscape = now;
    }
  }, true);

  /* Inactivity: after the server's idle time without input, show the unlock page. */
  var idle = parseInt(document.body.getAttribute("data-idle-ms") || "0", 10);
  if (idle > 0) {
    var timer = null;
    var arm = function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () {
        document.documentElement.classList.add("leaving");
        var done = function () { window.location.replace("/unlock?idle=1"); };
        fetch("/lock", {method: "POST", headers: {"X-CSRF-Token": csrf},
                        credentials: "same-origin", redirect: "manual"}).then(done, done);
      }, idle);
    };
    ["keydown", "mousedown", "touchstart", "scroll"].forEach(function (name) {
      window.addEventListener(name, arm, {passive: true});
    });
    arm();
  }

  /* Language: apply as soon as it is chosen. */
  var langSelect = document.getElementById("lang-select");
  if (langSelect) {
    langSelect.addEventListener("change", function () { langSelect.form.submit(); });
  }

  /* Blurred media: the clear picture is only fetched when the person asks for it. */
  function reveal(img) {
    var clear = img.getAttribute("data-clear-src");
    if (clear && img.classList.contains("blurred")) {
      img.src = clear;
      img.classList.remove("blurred");
      img.classList.add("revealed");
      var button = img.parentNode.querySelector(".reveal");
      if (button) { button.remove(); }
    }
  }
  document.querySelectorAll("img.blurred").forEach(function (img) {
    img.addEventListener("click", function () { reveal(img); });
  });
  document.querySelectorAll("button.reveal").forEach(function (button) {
    button.addEventListener("click", function () {
      var img = button.parentNode.querySelector("img");
      if (img) { reveal(img); }
    });
  });

  /* Triage keys: c / r / u decide, j / k move. Never while typing in a field. */
  if (document.body.getAttribute("data-page") === "triage") {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
        return;
      }
      var key = event.key.toLowerCase();
      var button = document.querySelector('button[data-key="' + key + '"]');
      if (button) {
        event.preventDefault();
        button.closest("form").requestSubmit(button);
        return;
      }
      var link = key === "j" ? document.getElementById("next")
               : key === "k" ? document.getElementById("prev") : null;
      if (link) { event.preventDefault(); window.location.assign(link.href); }
    });
  }

  /* Ingest progress: poll the job and reload once it is over, to show the summary. */
  var job = document.getElementById("job");
  if (job && job.getAttribute("data-state") === "running") {
    var poll = function () {
      fetch(job.getAttribute("data-url"), {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (!state || state.state !== "running") { window.location.reload(); return; }
          var set = function (id, value) {
            var el = document.getElementById(id);
            if (el) { el.textContent = String(value); }
          };
          set("job-current", state.current);
          set("job-records", state.records);
          set("job-files", Math.min(state.steps_done + 1, state.files));
          var bar = document.getElementById("job-progress");
          if (bar && state.total) { bar.max = state.total; bar.value = state.records; }
          window.setTimeout(poll, 600);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 400);
  }
})();
