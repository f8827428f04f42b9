"""Task forms as data: form-js schemas stored in the process file, validated on the server.

A schema (https://bpmn.io/toolkit/form-js, `schemaVersion` 16+) lives in the
BPMN file of its process, as `<obieg:formSchema key="request">{json}</obieg:formSchema>`
in the process's extension elements (the way Camunda 8 embeds its forms), so
it is deployed, versioned, downloaded and diffed with the diagram it belongs
to. A user task names it `obieg:form="schema:request"`; code forms registered
by solutions keep their plain keys beside them.

The server turns the schema into a Django form (`django_form.py`): the task
page renders that form and the same form checks every submission, in the
page and in the API alike. The browser's checks are a courtesy only.
"""

PREFIX = "schema:"
