// Process studio: the properties panel beside the bpmn-js Modeler. It shows what the engine
// reads on the selected element (docs/engine.md, docs/camunda.md) and writes each change
// through bpmn-js's command stack, so every edit can be undone. Names the server knows
// (roles, departments, forms, actions, decisions, processes) are picked from its lists.
// window.ObiegStudioPanel.attach(modeler, container, choices, labels)
(function () {
  "use strict";

  function is(bo, type) { return Boolean(bo && bo.$instanceOf && bo.$instanceOf(type)); }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (key === "text") node.textContent = value;
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function attach(modeler, container, choices, labels) {
    const modeling = modeler.get("modeling");
    const moddle = modeler.get("moddle");
    const canvas = modeler.get("canvas");
    const selection = modeler.get("selection");
    const eventBus = modeler.get("eventBus");
    const definitions = function () { return modeler.getDefinitions(); };
    let current = null;
    let counter = 0;

    function field(label, input, help) {
      const id = "studio-field-" + (++counter);
      input.id = id;
      const group = el("div", { class: "mb-2" }, [el("label", { class: "form-label small fw-semibold", for: id, text: label }), input]);
      if (help) group.appendChild(el("div", { class: "form-text", text: help }));
      return group;
    }

    function text(value, onChange, attrs) {
      const input = el("input", Object.assign({ class: "form-control form-control-sm", value: value || "" }, attrs || {}));
      input.addEventListener("change", function () { onChange(input.value.trim()); });
      return input;
    }

    function area(value, onChange) {
      const input = el("textarea", { class: "form-control form-control-sm font-monospace", rows: "2" });
      input.value = value || "";
      input.addEventListener("change", function () { onChange(input.value.trim()); });
      return input;
    }

    // A list to pick from; a value the list lacks (typed in another tool) stays shown as such.
    function pick(value, options, onChange) {
      const input = el("select", { class: "form-select form-select-sm" });
      input.appendChild(el("option", { value: "", text: labels.none }));
      const known = options.map(function (option) { return typeof option === "string" ? { value: option, label: option } : option; });
      if (value && !known.some(function (option) { return option.value === value; })) {
        known.push({ value: value, label: value + " — " + labels.unknown });
      }
      known.forEach(function (option) {
        input.appendChild(el("option", { value: option.value, text: option.label, selected: option.value === value }));
      });
      input.addEventListener("change", function () { onChange(input.value); });
      return input;
    }

    function datalist(values) {
      const id = "studio-list-" + (++counter);
      const list = el("datalist", { id: id });
      values.forEach(function (value) { list.appendChild(el("option", { value: value })); });
      return { id: id, node: list };
    }

    function set(element, name, value) {
      const properties = {};
      properties[name] = value || undefined;
      modeling.updateProperties(element, properties);
    }

    function expression(body) {
      return body ? moddle.create("bpmn:FormalExpression", { body: body }) : undefined;
    }

    // Forms designed in the studio for this file (kept in its processes' extension elements).
    function designedForms() {
      const found = [];
      (definitions().rootElements || []).forEach(function (root) {
        if (!is(root, "bpmn:Process") || !root.extensionElements) return;
        (root.extensionElements.values || []).forEach(function (value) {
          if (value.$type === "obieg:FormSchema" && value.key) found.push("schema:" + value.key);
        });
      });
      return found;
    }

    // The element's name in the site's other languages, kept in its extension elements as
    // <obieg:translation lang="en" name="…"/> (engine/labels.py); the name field holds the
    // model's own language (obieg:language on the definitions, else the site's).
    function translationFields(element, bo) {
      const own = definitions().get("obieg:language") || labels.siteLanguage;
      return (labels.languages || []).filter(function (language) { return language[0] !== own; }).map(function (language) {
        const lang = language[0];
        const found = ((bo.extensionElements && bo.extensionElements.values) || []).find(function (value) {
          return value.$type === "obieg:Translation" && value.lang === lang;
        });
        const input = text(found ? found.name : "", function (v) { writeTranslation(element, bo, lang, v); }, { lang: lang, "data-translation": lang });
        return field(labels.nameIn.replace("%(language)s", language[1]), input);
      });
    }

    function writeTranslation(element, bo, lang, value) {
      const extension = bo.extensionElements;
      const others = ((extension && extension.values) || []).filter(function (item) {
        return !(item.$type === "obieg:Translation" && item.lang === lang);
      });
      const values = value ? others.concat([moddle.create("obieg:Translation", { lang: lang, name: value })]) : others;
      if (extension) {
        modeling.updateModdleProperties(element, extension, { values: values });
      } else if (values.length) {
        modeling.updateModdleProperties(element, bo, { extensionElements: moddle.create("bpmn:ExtensionElements", { values: values }) });
      }
    }

    function section(title) { return el("h3", { class: "h6 mt-3 mb-2 border-bottom pb-1", text: title }); }

    function assignmentFields(element, bo, withAssignee) {
      const nodes = [
        field(labels.role, pick(bo.get("obieg:role"), choices.roles, function (v) { set(element, "obieg:role", v); })),
        field(labels.department, pick(bo.get("obieg:department"), choices.departments.map(function (d) { return { value: d.code, label: d.name + " (" + d.code + ")" }; }), function (v) { set(element, "obieg:department", v); })),
      ];
      if (withAssignee) {
        const users = datalist(choices.users);
        nodes.push(users.node);
        nodes.push(field(labels.assignee, text(bo.get("obieg:assignee"), function (v) { set(element, "obieg:assignee", v); }, { list: users.id }), labels.assigneeHelp));
      }
      return nodes;
    }

    function processFields(element, process) {
      const box = el("input", { class: "form-check-input", type: "checkbox", checked: process.isExecutable !== false });
      box.addEventListener("change", function () { modeling.updateModdleProperties(element, process, { isExecutable: box.checked }); });
      const id = "studio-field-" + (++counter);
      box.id = id;
      return [
        section(labels.process),
        field(labels.processName, text(process.name, function (v) { modeling.updateModdleProperties(element, process, { name: v || undefined }); })),
      ].concat(translationFields(element, process), [
        el("div", { class: "form-check mb-2" }, [box, el("label", { class: "form-check-label small", for: id, text: labels.executable })]),
      ]);
    }

    function timerFields(element, definition) {
      const kinds = [
        { value: "timeDuration", label: labels.timeDuration },
        { value: "timeDate", label: labels.timeDate },
        { value: "timeCycle", label: labels.timeCycle },
      ];
      const kind = kinds.find(function (k) { return definition[k.value]; }) || kinds[0];
      let chosen = kind.value;
      const value = definition[kind.value] ? definition[kind.value].body : "";
      const input = text(value, function (v) { write(v); });
      function write(v) {
        const properties = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
        properties[chosen] = expression(v);
        modeling.updateModdleProperties(element, definition, properties);
      }
      return [
        section(labels.timer),
        field(labels.timerKind, pick(chosen, kinds, function (v) { chosen = v || "timeDuration"; write(input.value.trim()); })),
        field(labels.timerValue, input, labels.timerHelp),
      ];
    }

    function messageFields(element, holder) {
      const names = (definitions().rootElements || []).filter(function (root) { return is(root, "bpmn:Message"); });
      const list = datalist(names.map(function (m) { return m.name || m.id; }));
      const current = holder.messageRef;
      return [
        section(labels.message),
        list.node,
        field(labels.messageName, text(current ? current.name : "", function (v) {
          if (!v) { modeling.updateModdleProperties(element, holder, { messageRef: undefined }); return; }
          let message = names.find(function (m) { return m.name === v; });
          if (!message) {
            message = moddle.create("bpmn:Message", { id: "Message_" + Math.random().toString(36).slice(2, 9), name: v });
            const defs = definitions();
            modeling.updateModdleProperties(element, defs, { rootElements: (defs.rootElements || []).concat([message]) });
          }
          modeling.updateModdleProperties(element, holder, { messageRef: message });
        }, { list: list.id }), labels.messageHelp),
      ];
    }

    function render(element) {
      current = element;
      container.replaceChildren();
      if (!element) return;
      const bo = element.businessObject;
      const nodes = [el("p", { class: "small text-body-secondary mb-2", text: (bo.$type || "").replace("bpmn:", "") })];
      if (!is(bo, "bpmn:Process") && !is(bo, "bpmn:Collaboration")) {
        nodes.push(field(labels.id, text(bo.id, function (v) { if (v) set(element, "id", v); })));
        nodes.push(field(labels.name, text(bo.name, function (v) { set(element, "name", v); })));
        nodes.push.apply(nodes, translationFields(element, bo));
      }
      if (is(bo, "bpmn:Process")) nodes.push.apply(nodes, processFields(element, bo));
      if (is(bo, "bpmn:Participant") && bo.processRef) nodes.push.apply(nodes, processFields(element, bo.processRef));
      if (is(bo, "bpmn:UserTask")) {
        nodes.push(section(labels.userTask));
        nodes.push(field(labels.form, pick(bo.get("obieg:form"), choices.forms.concat(designedForms()), function (v) { set(element, "obieg:form", v); }), labels.formHelp));
        nodes.push.apply(nodes, assignmentFields(element, bo, true));
        nodes.push(field(labels.due, text(bo.get("obieg:due"), function (v) { set(element, "obieg:due", v); }), labels.dueHelp));
      } else if (is(bo, "bpmn:Lane")) {
        nodes.push(section(labels.lane));
        nodes.push.apply(nodes, assignmentFields(element, bo, false));
      } else if (is(bo, "bpmn:ManualTask") || (bo.$type === "bpmn:Task")) {
        nodes.push(section(labels.manualTask));
        nodes.push.apply(nodes, assignmentFields(element, bo, true));
      }
      if (is(bo, "bpmn:ServiceTask") || is(bo, "bpmn:SendTask")) {
        nodes.push(section(labels.serviceTask));
        nodes.push(field(labels.action, pick(bo.get("obieg:action"), choices.actions, function (v) { set(element, "obieg:action", v); }), labels.actionHelp));
      }
      if (is(bo, "bpmn:BusinessRuleTask")) {
        nodes.push(section(labels.businessRuleTask));
        nodes.push(field(labels.decision, pick(bo.get("obieg:decision"), choices.decisions, function (v) { set(element, "obieg:decision", v); }), labels.decisionHelp));
      }
      if (is(bo, "bpmn:CallActivity")) {
        nodes.push(section(labels.callActivity));
        nodes.push(field(labels.calledElement, pick(bo.calledElement, choices.processes, function (v) { set(element, "calledElement", v); })));
      }
      if (is(bo, "bpmn:SequenceFlow")) {
        const source = bo.sourceRef;
        const isDefault = source && source.default === bo;
        nodes.push(section(labels.condition));
        if (isDefault) {
          nodes.push(el("p", { class: "small", text: labels.defaultFlow }));
        } else {
          nodes.push(field(labels.conditionExpression, area(bo.conditionExpression ? bo.conditionExpression.body : "", function (v) {
            modeling.updateProperties(element, { conditionExpression: expression(v) });
          }), labels.conditionHelp));
        }
      }
      if (is(bo, "bpmn:ReceiveTask")) nodes.push.apply(nodes, messageFields(element, bo));
      (bo.eventDefinitions || []).forEach(function (definition) {
        if (is(definition, "bpmn:TimerEventDefinition")) nodes.push.apply(nodes, timerFields(element, definition));
        if (is(definition, "bpmn:MessageEventDefinition")) nodes.push.apply(nodes, messageFields(element, definition));
      });
      nodes.forEach(function (node) { container.appendChild(node); });
    }

    eventBus.on("selection.changed", function (event) {
      render(event.newSelection.length === 1 ? event.newSelection[0] : canvas.getRootElement());
    });
    eventBus.on("elements.changed", function (event) {
      // Redraw only when the shown element changed and focus is not in the panel (typing).
      if (!current || container.contains(document.activeElement)) return;
      if (event.elements.some(function (changed) { return changed === current || changed.id === current.id; })) {
        const fresh = modeler.get("elementRegistry").get(current.id);
        render(fresh || canvas.getRootElement());
      }
    });
    render(canvas.getRootElement());
    return { render: render, selection: selection };
  }

  window.ObiegStudioPanel = { attach: attach };
})();
