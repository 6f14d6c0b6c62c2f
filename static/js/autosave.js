/* The admin's change form of an article or a category: autosave and the
 * notice of other editors (articles/admin_drafts.py).
 *
 * While the form's content differs from what was last saved, it is posted to
 * the autosave address every `data-autosave-seconds` and when the tab is
 * hidden; the site keeps it beside the article, never on the live page. The
 * status line says "Saved 12:04" or why not. Every `data-heartbeat-seconds`
 * the form tells the site it is still open, and the answer names the other
 * editors, shown above the form.
 */
;(() => {
  "use strict"

  // Keep-alive requests (sent while the page closes) may carry at most 64 KB.
  const KEEPALIVE_LIMIT = 60000

  function start() {
    const tools = document.getElementById("draft-tools")
    if (!tools) {
      return
    }
    const form = tools.closest("form")
    const status = document.getElementById("autosave-status")
    const notice = document.getElementById("editing-notice")
    const version = form.querySelector("input[name=draft_version]")
    const kind = tools.dataset.kind
    let baseline = null // the content as it was last saved (or opened)
    let submitting = false
    let inFlight = false

    function csrfToken() {
      const input = form.querySelector("input[name=csrfmiddlewaretoken]")
      return input ? input.value : ""
    }

    // Every CKEditor of the form has loaded its text (before that, its
    // textarea holds the text in a form CKEditor will rewrite).
    function editorsReady() {
      const areas = [...form.querySelectorAll('textarea[data-type="ckeditortype"]')]
      if (areas.length && !window.CKEDITOR) {
        return false
      }
      return areas.every((area) => {
        const editor = window.CKEDITOR.instances[area.id]
        return editor && editor.status === "ready"
      })
    }

    function takeBaseline() {
      if (baseline === null && editorsReady()) {
        baseline = fingerprint(content())
      }
    }

    // The form's fields as the site reads them, CKEditor's text included; no files.
    function content() {
      const data = new FormData(form)
      for (const [name, value] of [...data.entries()]) {
        if (value instanceof File) {
          data.delete(name)
        }
      }
      if (window.CKEDITOR) {
        for (const editor of Object.values(window.CKEDITOR.instances)) {
          data.set(editor.element.getNameAtt(), editor.getData())
        }
      }
      data.delete("draft_version")
      return data
    }

    function fingerprint(data) {
      const params = new URLSearchParams()
      for (const [name, value] of data.entries()) {
        if (name !== "csrfmiddlewaretoken") {
          params.append(name, value)
        }
      }
      return params.toString()
    }

    function show(text) {
      status.textContent = text
    }

    async function save({ closing = false } = {}) {
      if (submitting || inFlight) {
        return
      }
      if (baseline === null) {
        takeBaseline()
        return
      }
      const data = content()
      const print = fingerprint(data)
      if (print === baseline) {
        return
      }
      data.set("draft_version", version.value)
      inFlight = true
      try {
        const response = await fetch(tools.dataset.autosaveUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() },
          keepalive: closing && print.length < KEEPALIVE_LIMIT,
        })
        const answer = await response.json().catch(() => ({}))
        if (response.ok) {
          baseline = print
          version.value = answer.version
          show(`Saved ${answer.saved_at}`)
        } else if (answer.error) {
          show(`Not saved: ${answer.error}`)
        } else if (response.status === 403) {
          show("Not saved: you are signed out, or may no longer change this page")
        } else {
          show(`Not saved: the site answered ${response.status}`)
        }
      } catch {
        show(navigator.onLine ? "Not saved: the site did not answer" : "Not saved: offline")
      } finally {
        inFlight = false
      }
    }

    function showOthers(names) {
      notice.replaceChildren(
        ...names.map((name) => {
          const line = document.createElement("p")
          line.className = "warning"
          line.textContent = `${name} is also editing this ${kind}.`
          return line
        }),
      )
    }

    async function heartbeat() {
      const data = new FormData()
      data.set("csrfmiddlewaretoken", csrfToken())
      try {
        const response = await fetch(tools.dataset.editingUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
        })
        if (response.ok) {
          showOthers((await response.json()).others)
        }
      } catch {
        // Offline: the notice stays as it was; the next beat tries again.
      }
    }

    form.addEventListener("submit", (event) => {
      const button = event.submitter
      if (button && button.classList.contains("draft-discard")) {
        if (!window.confirm("Discard this draft? Its changes cannot be brought back.")) {
          event.preventDefault()
          return
        }
      }
      if (!button || !button.classList.contains("draft-preview")) {
        submitting = true // the form itself saves now: no autosave after it
      }
    })
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        save({ closing: true })
      }
    })
    window.addEventListener("offline", () => {
      if (baseline !== null && fingerprint(content()) !== baseline) {
        show("Not saved: offline")
      }
    })
    window.addEventListener("online", () => save())
    window.addEventListener("pagehide", () => {
      const data = new FormData()
      data.set("csrfmiddlewaretoken", csrfToken())
      data.set("leaving", "1")
      navigator.sendBeacon(tools.dataset.editingUrl, data)
    })

    const everyAutosave = Math.max(1, Number(tools.dataset.autosaveSeconds) || 30) * 1000
    const everyBeat = Math.max(1, Number(tools.dataset.heartbeatSeconds) || 30) * 1000
    // The baseline is what the form holds once CKEditor has loaded: taken as
    // each editor becomes ready, before anything can be typed in it.
    if (window.CKEDITOR) {
      window.CKEDITOR.on("instanceReady", takeBaseline)
    }
    const firstCheck = setInterval(() => {
      takeBaseline()
      if (baseline !== null) {
        clearInterval(firstCheck)
      }
    }, 100)
    setInterval(save, everyAutosave)
    setInterval(heartbeat, everyBeat)
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
