/* Remembers a commenter's name, e-mail and website in this browser, when they
   tick the box this script adds, and fills them in on the next comment form.
   The page itself is the same for every reader, so this can only happen here;
   the form works the same without JavaScript. Nothing leaves the browser. */
(function () {
  "use strict";
  var KEY = "comment-author";
  var FIELDS = ["name", "email", "website"];
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (error) {
    return; // storage switched off: leave the form as it is
  }

  function saved() {
    try {
      return JSON.parse(storage.getItem(KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  document.querySelectorAll("form.comment-form").forEach(function (form) {
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = form.id + "-remember";
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = "Remember my name, e-mail and website in this browser";
    var field = document.createElement("div");
    field.className = "field field-checkbox";
    field.append(box, " ", label);
    var notify = form.querySelector(".field-checkbox");
    if (notify) {
      notify.after(field);
    } else {
      form.querySelector("button[type=submit]").parentNode.before(field);
    }

    var author = saved();
    if (author) {
      box.checked = true;
      FIELDS.forEach(function (name) {
        var input = form.elements[name];
        if (input && !input.value && typeof author[name] === "string") {
          input.value = author[name];
        }
      });
    }

    form.addEventListener("submit", function () {
      if (!box.checked) {
        storage.removeItem(KEY);
        return;
      }
      var values = {};
      FIELDS.forEach(function (name) {
        values[name] = form.elements[name] ? form.elements[name].value : "";
      });
      storage.setItem(KEY, JSON.stringify(values));
    });
  });
})();
