// Asks the browser for a WebAuthn assertion on a form marked data-webauthn-get (which holds the
// request options as JSON), puts the answer into the form's "credential" field and submits it.
// Needs window.webauthnJSON (allauth's bundled copy of webauthn-json, served from our own host).
(function () {
  "use strict";

  function wire(form) {
    var button = form.querySelector("[data-webauthn-button]");
    var field = form.querySelector("input[name='credential']");
    var failure = form.querySelector("[data-webauthn-error]");
    if (!button || !field) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (failure) {
        failure.hidden = true;
      }
      var options = JSON.parse(form.getAttribute("data-webauthn-get"));
      window.webauthnJSON.get(options).then(
        function (credential) {
          field.value = JSON.stringify(credential);
          form.submit();
        },
        function () {
          if (failure) {
            failure.hidden = false;
          }
        }
      );
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-webauthn-get]");
    for (var i = 0; i < forms.length; i += 1) {
      wire(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
