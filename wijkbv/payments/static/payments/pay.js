// The pay page: Stripe's Payment Element in our form. Card and iDEAL details are typed into
// Stripe's own frames and go to Stripe; our server only ever sees the PaymentIntent's id.
(function () {
  "use strict";

  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return; // the page keeps saying how to pay without JavaScript
  }
  var stripe = window.Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  var paymentElement = elements.create("payment");
  var error = document.getElementById("payment-error");
  var button = form.querySelector("button[type=submit]");

  paymentElement.mount("#payment-element");
  document.getElementById("payment-needs-javascript").hidden = true;
  form.hidden = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    error.textContent = "";
    stripe
      .confirmPayment({
        elements: elements,
        confirmParams: { return_url: form.dataset.returnUrl },
      })
      .then(function (result) {
        // On success Stripe sends the browser to the return address; we only get here on error.
        if (result && result.error) {
          error.textContent = result.error.message || "";
        }
        button.disabled = false;
      });
  });
})();
