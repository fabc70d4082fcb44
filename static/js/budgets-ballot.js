// The running budget bar of a participatory-budget ballot: as projects are ticked, it shows what
// the choice costs against the budget. Only a help: the server checks the budget itself, and the
// page works the same without this script.
(function () {
  "use strict";
  var box = document.getElementById("budget");
  if (!box) {
    return;
  }
  var form = box.closest("form");
  var status = document.getElementById("budget-status");
  var fill = box.querySelector(".budget-fill");
  var over = document.getElementById("budget-over");
  var limitCents = Math.round(parseFloat(box.dataset.limit) * 100);
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "currency",
    currency: box.dataset.currency || "EUR",
  });

  function euros(cents) {
    return format.format(cents / 100);
  }

  function update() {
    var cents = 0;
    form.querySelectorAll("input[name=approvals]:checked").forEach(function (box) {
      cents += Math.round(parseFloat(box.dataset.cost) * 100);
    });
    var percent = limitCents > 0 ? Math.min(100, Math.floor((cents * 100) / limitCents)) : 0;
    fill.style.width = percent + "%";
    var tooMuch = cents > limitCents;
    fill.classList.toggle("over", tooMuch);
    over.hidden = !tooMuch;
    status.textContent = box.dataset.template
      .replace("{chosen}", euros(cents))
      .replace("{limit}", euros(limitCents));
  }

  form.addEventListener("change", update);
  update();
})();
