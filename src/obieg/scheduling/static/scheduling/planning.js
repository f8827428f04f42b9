// The planning calendar: crews as rows (EventCalendar's MIT resource timeline),
// events from /scheduling/events.json, a drag or resize saved at once.
// Times travel as naive Warsaw wall-clock strings, so the browser's own time
// zone never shifts an installation by an hour.
(function () {
  "use strict";
  const element = document.getElementById("planning-calendar");
  if (!element || !window.EventCalendar) {
    return;
  }
  const resources = JSON.parse(document.getElementById("planning-resources").textContent);
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  const message = document.getElementById("planning-message");
  const pad = (number) => String(number).padStart(2, "0");
  const wallClock = (date) =>
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

  function show(text, ok) {
    message.textContent = text;
    message.className = `alert ${ok ? "alert-success" : "alert-danger"}`;
  }

  async function save(info) {
    const event = info.event;
    const body = new FormData();
    body.append("start", wallClock(event.start));
    body.append("end", wallClock(event.end));
    body.append("revision", event.extendedProps.revision);
    if (info.newResource) {
      body.append("crew", info.newResource.id);
    }
    element.dataset.saving = "true";
    try {
      const response = await fetch(element.dataset.moveUrl.replace("/0/", `/${event.id}/`), {
        method: "POST",
        body,
        headers: { "X-CSRFToken": headers["X-CSRFToken"] || "" },
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new Error(data.error || element.dataset.failed);
      }
      // The new revision, so the next drag of this event is not refused as stale.
      calendar.updateEvent(data.event);
      show(element.dataset.moved, true);
    } catch (error) {
      info.revert();
      show(error.message || element.dataset.failed, false);
    } finally {
      element.dataset.saving = "false";
    }
  }

  // A phone shows one week of narrow days and only the arrows: two weeks of 84-pixel
  // days and three view buttons would not fit its width.
  const phone = window.matchMedia("(max-width: 575.98px)");
  const wide = {
    headerToolbar: {
      start: "prev,next today",
      center: "title",
      end: "resourceTimelineMonth,resourceTimelineWeek,resourceTimeGridDay",
    },
    board: {
      duration: { weeks: 2 },
      slotWidth: 84,
      dayHeaderFormat: { weekday: "short", day: "numeric" },
    },
    eventContent: undefined,
  };
  const narrow = {
    headerToolbar: { start: "title", center: "", end: "prev,next today" },
    board: {
      duration: { weeks: 1 },
      slotWidth: 40,
      dayHeaderFormat: { day: "numeric", weekday: "narrow" },
    },
    // A day is 40 pixels wide: the customer's name says more than "08:00".
    eventContent: (info) => info.event.title,
  };
  const fit = phone.matches ? narrow : wide;

  const options = {
    view: "resourceTimelineMonth",
    headerToolbar: fit.headerToolbar,
    eventContent: fit.eventContent,
    locale: element.dataset.locale || "pl",
    firstDay: 1,
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    resources,
    eventSources: [{ url: element.dataset.eventsUrl }],
    editable: element.dataset.editable === "true",
    eventStartEditable: element.dataset.editable === "true",
    // Crews are planned by the day: the default board shows two weeks of days,
    // a drag snaps to whole days and keeps the hours; the week board has 6-hour slots.
    views: {
      resourceTimelineMonth: fit.board,
      resourceTimelineWeek: { slotDuration: { hours: 6 }, slotWidth: 40 },
    },
    buttonText: (text) => ({ ...text, resourceTimelineMonth: element.dataset.twoWeeks }),
    eventDrop: save,
    eventResize: save,
    eventClick: (info) => {
      if (info.event.extendedProps.url) {
        window.location.href = info.event.extendedProps.url;
      }
    },
    loading: (busy) => {
      element.dataset.loading = busy ? "true" : "false";
    },
    // Timeline boards do not paint background events, so public holidays
    // (sent as background events) are shown as highlighted days instead.
    eventAllUpdated: () => {
      const holidays = calendar
        .getEvents()
        .filter((event) => event.display === "background")
        .map((event) => wallClock(event.start).slice(0, 10));
      const current = calendar.getOption("highlightedDates") || [];
      const known = current.map((date) => (typeof date === "string" ? date : wallClock(date).slice(0, 10)));
      if (holidays.join() !== known.join()) {
        calendar.setOption("highlightedDates", holidays);
      }
    },
  };
  if (element.dataset.initialDate) {
    options.date = element.dataset.initialDate;
  }
  const calendar = EventCalendar.create(element, options);
  element.dataset.ready = "true";
  element.dataset.layout = phone.matches ? "phone" : "wide";

  // Turning the phone (or resizing the window) across the breakpoint re-lays the board;
  // options set now apply to the view shown, which is the board when the page opens.
  phone.addEventListener("change", () => {
    const next = phone.matches ? narrow : wide;
    calendar.setOption("headerToolbar", next.headerToolbar);
    calendar.setOption("eventContent", next.eventContent);
    if (calendar.getView().type === "resourceTimelineMonth") {
      Object.entries(next.board).forEach(([name, value]) => calendar.setOption(name, value));
    }
    element.dataset.layout = phone.matches ? "phone" : "wide";
  });
})();
