// Interview Bank's pages work without JavaScript; this adds the countdown's
// ticking and auto-submit, answer drafts that survive a reload, and the rating
// suggested by the ticked key points.
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

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-countdown]");
    if (box) startCountdown(box);
    document.querySelectorAll("form[data-draft-key]").forEach(keepDraft);
    document.querySelectorAll("form.grade").forEach(suggestRatings);
  });
})();
