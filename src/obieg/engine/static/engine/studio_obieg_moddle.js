// Obieg's BPMN attributes (namespace urn:obieg:bpmn:1, docs/engine.md) as a moddle extension,
// so the bpmn-js Modeler reads and writes them as properties of the elements they belong to.
window.ObiegModdle = {
  name: "Obieg",
  prefix: "obieg",
  uri: "urn:obieg:bpmn:1",
  xml: { tagAlias: "lowerCase" },
  associations: [],
  types: [
    {
      name: "Assignment",
      isAbstract: true,
      extends: ["bpmn:UserTask", "bpmn:Lane", "bpmn:Task", "bpmn:ManualTask"],
      properties: [
        { name: "role", isAttr: true, type: "String" },
        { name: "department", isAttr: true, type: "String" },
        { name: "assignee", isAttr: true, type: "String" },
      ],
    },
    {
      name: "UserTaskSettings",
      isAbstract: true,
      extends: ["bpmn:UserTask"],
      properties: [
        { name: "form", isAttr: true, type: "String" },
        { name: "due", isAttr: true, type: "String" },
      ],
    },
    {
      name: "ActionSettings",
      isAbstract: true,
      extends: ["bpmn:ServiceTask", "bpmn:SendTask"],
      properties: [{ name: "action", isAttr: true, type: "String" }],
    },
    {
      // A task form designed in the studio (form-js JSON), kept in the process's extension
      // elements and named by a user task as obieg:form="schema:<key>" (docs/studio.md).
      name: "FormSchema",
      superClass: ["Element"],
      meta: { allowedIn: ["bpmn:Process"] },
      properties: [
        { name: "key", isAttr: true, type: "String" },
        { name: "body", isBody: true, type: "String" },
      ],
    },
    {
      // The element's name in another language (engine/labels.py): <obieg:translation lang="en" name="…"/>.
      name: "Translation",
      superClass: ["Element"],
      meta: { allowedIn: ["*"] },
      properties: [
        { name: "lang", isAttr: true, type: "String" },
        { name: "name", isAttr: true, type: "String" },
      ],
    },
    {
      // The language the model's own names are in (the site's default when absent).
      name: "ModelLanguage",
      isAbstract: true,
      extends: ["bpmn:Definitions"],
      properties: [{ name: "language", isAttr: true, type: "String" }],
    },
    {
      name: "DecisionSettings",
      isAbstract: true,
      extends: ["bpmn:BusinessRuleTask"],
      properties: [{ name: "decision", isAttr: true, type: "String" }],
    },
  ],
};
