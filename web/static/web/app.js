// Interview Bank's pages work without JavaScript; this adds the countdown's
// ticking and auto-submit, answer drafts that survive a reload, the rating
// suggested by the ticked key points, and, in an invitation's session, the
// integrity events the candidate was told about (pastes, copies, leaving the page).
(function () {
  "use strict";

  function clock(seconds) {
    seconds = Math.max(0, seconds);
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  // The server sends how long is left (its own deadline, so a reload never
  // resets it); the display reaches zero lead-ms early, and at zero the answer
  // form is submitted with what is typed.
  function startCountdown(box) {
    var remaining = Number(box.dataset.remainingMs) - Number(box.dataset.leadMs);
    var started = performance.now();
    var display = box.querySelector("[data-countdown-clock]");
    var announce = box.querySelector("[data-countdown-announce]");
    var form = document.getElementById("answer-form");
    var announced = {};
    var done = false;

    function tick() {
      var leftMs = remaining - (performance.now() - started);
      var left = Math.ceil(leftMs / 1000);
      display.textContent = clock(left);
      box.classList.toggle("low", left <= 60);
      [300, 60, 30, 10].forEach(function (mark) {
        if (left <= mark && left > mark - 2 && !announced[mark]) {
          announced[mark] = true;
          announce.textContent = mark >= 60 ? mark / 60 + " minute" + (mark > 60 ? "s" : "") + " left" : mark + " seconds left";
        }
      });
      if (leftMs <= 0 && !done) {
        done = true;
        box.classList.add("over");
        if (form) {
          form.querySelector("[name=timed_out]").value = "on";
          announce.textContent = "Time is up; submitting your answer.";
          // submit() fires no submit event: drop the draft here.
          if (window.sessionStorage) sessionStorage.removeItem(form.dataset.draftKey);
          form.submit();
        } else {
          announce.textContent = "Time is up.";
        }
        return;
      }
      if (!done) window.setTimeout(tick, 250);
    }
    tick();
  }

  // What is typed survives a reload (the countdown does not pause for it).
  function keepDraft(form) {
    var key = form.dataset.draftKey;
    var box = form.querySelector("textarea");
    if (!box || !window.sessionStorage) return;
    if (!box.value && sessionStorage.getItem(key)) box.value = sessionStorage.getItem(key);
    box.addEventListener("input", function () { sessionStorage.setItem(key, box.value); });
    form.addEventListener("submit", function () { sessionStorage.removeItem(key); });
  }

  // The rating the ticked key points suggest (the table comes from the server).
  function suggestRatings(form) {
    var suggestions = form.dataset.suggestions.split(",");
    var label = form.querySelector("[data-suggested]");
    function update() {
      var ticked = form.querySelectorAll("input[type=checkbox]:checked").length;
      var rating = suggestions[Math.min(ticked, suggestions.length - 1)];
      label.textContent = rating;
      form.querySelectorAll("[data-rating]").forEach(function (button) {
        button.classList.toggle("suggested", button.dataset.rating === rating);
      });
    }
    form.addEventListener("change", update);
    update();
  }

  // In an invitation's session: a paste into the answer box, a copy on the
  // page, and each time the page loses focus (another tab or window) are sent
  // with the position on screen. Hiring managers see only the counts.
  function reportIntegrity(box) {
    var url = box.dataset.integrityUrl;
    var position = Number(box.dataset.integrityPosition);
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!url || !csrf || !window.fetch) return;
    var away = false;     // one switch away is one event: blur and hidden both fire for it
    var leaving = false;  // navigating to the next page hides this one too: that is no blur

    function send(type) {
      if (leaving) return;
      window.fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,  // an event sent as the page hides still arrives
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value },
        body: JSON.stringify({ type: type, position: position })
      }).catch(function () { /* a lost event is only a missing flag */ });
    }
    function leave() {
      if (away) return;
      away = true;
      send("blur");
    }
    function back() { away = false; }

    var answer = document.querySelector("#answer-form textarea");
    if (answer) answer.addEventListener("paste", function () { send("paste"); });
    document.addEventListener("copy", function () { send("copy"); });
    window.addEventListener("blur", leave);
    window.addEventListener("focus", back);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") leave(); else back();
    });
    // pagehide comes before the visibilitychange of a navigation away.
    window.addEventListener("pagehide", function () { leaving = true; });
    window.addEventListener("pageshow", function () { leaving = false; away = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-countdown]");
    if (box) startCountdown(box);
    document.querySelectorAll("form[data-draft-key]").forEach(keepDraft);
    document.querySelectorAll("form.grade").forEach(suggestRatings);
    var integrity = document.querySelector("[data-integrity-url]");
    if (integrity) reportIntegrity(integrity);
  });
})();
