/* Keyboard shortcuts for the admin's comment list (comments/admin.py), after
   WordPress's comment hotkeys: j and k move the selection, and a, s, d and r
   press the selected comment's Approve, Spam, Remove and Reply buttons, the
   same one-click buttons (and the same rules) as with the mouse. Keys typed
   in a text field, or with Ctrl, Alt or Cmd, are left alone. The selected row
   is focused (so screen readers read it) and marked aria-current; after a
   button has reloaded the list, the selection comes back at the same place,
   which is the next comment when the one acted on has left the list. */
(function () {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {
    var help = document.getElementById("comment-shortcuts");
    var table = document.getElementById("result_list");
    if (!help || !table) {
      return; // not the comment list, or no right to moderate
    }
    var KEY = "comment-moderation-selected:" + location.pathname + location.search;
    var BUTTONS = {
      a: [".comment-approve", "This comment is already approved."],
      s: [".comment-mark_as_spam", "This comment is already marked as spam."],
      d: [".comment-remove", "This comment is already removed."],
      r: [".comment-reply", "Spam and removed comments cannot be answered: approve it first."],
    };
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var status = help.querySelector(".comment-shortcuts-status");
    var selected = -1;
    help.hidden = false;

    function say(text) {
      status.textContent = text;
    }

    function select(index) {
      if (!rows.length) {
        say("No comments in this list.");
        return;
      }
      index = Math.max(0, Math.min(index, rows.length - 1));
      if (selected >= 0) {
        rows[selected].classList.remove("comment-selected");
        rows[selected].removeAttribute("aria-current");
      }
      selected = index;
      var row = rows[index];
      row.classList.add("comment-selected");
      row.setAttribute("aria-current", "true");
      row.tabIndex = -1;
      row.focus();
      say("");
    }

    function typing(target) {
      if (target.isContentEditable) {
        return true;
      }
      var name = target.tagName;
      if (name === "TEXTAREA" || name === "SELECT") {
        return true;
      }
      return (
        name === "INPUT" &&
        ["checkbox", "radio", "button", "submit", "reset"].indexOf(target.type) === -1
      );
    }

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.isComposing || typing(event.target)) {
        return;
      }
      if (event.ctrlKey || event.altKey || event.metaKey) {
        return;
      }
      var key = event.key;
      if (key === "j" || key === "k") {
        event.preventDefault();
        if (selected < 0) {
          select(0);
        } else {
          select(selected + (key === "j" ? 1 : -1));
        }
        return;
      }
      if (!BUTTONS.hasOwnProperty(key)) {
        return;
      }
      event.preventDefault();
      if (selected < 0) {
        say("Press j to choose a comment first.");
        return;
      }
      var button = rows[selected].querySelector(BUTTONS[key][0]);
      if (!button) {
        say(BUTTONS[key][1]);
        return;
      }
      try {
        sessionStorage.setItem(KEY, String(selected));
      } catch (error) {
        // Storage switched off: the list comes back with nothing selected.
      }
      button.click();
    });

    // A click on a row's own button keeps the place too.
    rows.forEach(function (row, index) {
      row.addEventListener("click", function (event) {
        if (event.target.closest(".comment-moderation-buttons button")) {
          try {
            sessionStorage.setItem(KEY, String(index));
          } catch (error) {
            // as above
          }
        }
      });
    });

    var stored = null;
    try {
      stored = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
    } catch (error) {
      stored = null;
    }
    if (stored !== null && /^\d+$/.test(stored)) {
      select(parseInt(stored, 10));
    }
  }
})();
