# ruff: noqa: E501  (inline DMN documents)
"""DMN models: several decisions, requirements, BKMs, hit policies, validation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from obieg.engine import decisions, feel

NS = 'xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/"'


def table(
    policy: str, rules: list[tuple[str, str]], *, aggregation: str = "", output_values: str = ""
) -> bytes:
    values = f"<outputValues><text>{output_values}</text></outputValues>" if output_values else ""
    agg = f' aggregation="{aggregation}"' if aggregation else ""
    body = "".join(
        f"<rule><inputEntry><text>{entry}</text></inputEntry><outputEntry><text>{out}</text></outputEntry></rule>"
        for entry, out in rules
    )
    return f"""<definitions {NS} id="d" name="t" namespace="urn:t">
      <inputData id="amount_id" name="Order amount"><variable name="Order amount" typeRef="number"/></inputData>
      <decision id="discount_id" name="Discount">
        <variable name="Discount"/>
        <informationRequirement><requiredInput href="#amount_id"/></informationRequirement>
        <decisionTable hitPolicy="{policy}"{agg}>
          <input><inputExpression typeRef="number"><text>Order amount</text></inputExpression></input>
          <output name="rate">{values}</output>
          {body}
        </decisionTable>
      </decision>
    </definitions>""".encode()


RULES = [("&gt;= 1000", "0.10"), ("[250..1000)", "0.05"), ("&gt; 500", "0.07"), ("-", "0")]


@pytest.mark.parametrize(
    ("policy", "aggregation", "amount", "expected"),
    [
        ("FIRST", "", 600, Decimal("0.05")),
        ("FIRST", "", 100, Decimal(0)),
        ("RULE ORDER", "", 600, [Decimal("0.05"), Decimal("0.07"), Decimal(0)]),
        ("COLLECT", "", 2000, [Decimal("0.10"), Decimal("0.07"), Decimal(0)]),
        ("COLLECT", "SUM", 2000, Decimal("0.17")),
        ("COLLECT", "MIN", 2000, Decimal(0)),
        ("COLLECT", "MAX", 600, Decimal("0.07")),
        ("COLLECT", "COUNT", 600, Decimal(3)),
        ("PRIORITY", "", 600, Decimal("0.07")),
        ("OUTPUT ORDER", "", 2000, [Decimal("0.10"), Decimal("0.07"), Decimal(0)]),
    ],
)
def test_hit_policies(policy, aggregation, amount, expected):
    values = "0.10, 0.07, 0.05, 0" if policy in ("PRIORITY", "OUTPUT ORDER") else ""
    model = decisions.load(table(policy, RULES, aggregation=aggregation, output_values=values))
    assert model.evaluate("Discount", {"Order amount": Decimal(amount)}) == expected


def test_unique_with_two_matches_gives_null_and_names_the_rules():
    model = decisions.load(table("UNIQUE", RULES))
    assert model.evaluate("Discount", {"Order amount": Decimal(600)}) is None
    assert any("rules 2, 3, 4" in message for message in model.last_messages)


def test_any_with_different_outputs_gives_null():
    model = decisions.load(table("ANY", [("&gt; 1", "1"), ("&gt; 2", "2")]))
    assert model.evaluate("Discount", {"Order amount": Decimal(5)}) is None
    model = decisions.load(table("ANY", [("&gt; 1", "1"), ("&gt; 2", "1")]))
    assert model.evaluate("Discount", {"Order amount": Decimal(5)}) == Decimal(1)


DRG = f"""<definitions {NS} id="d" name="loan" namespace="urn:loan">
  <itemDefinition name="tApplicant">
    <itemComponent name="age"><typeRef>number</typeRef></itemComponent>
    <itemComponent name="segment"><typeRef>string</typeRef>
      <allowedValues><text>"retail", "business"</text></allowedValues></itemComponent>
  </itemDefinition>
  <inputData id="applicant" name="Applicant"><variable name="Applicant" typeRef="tApplicant"/></inputData>
  <inputData id="amount" name="Loan amount"><variable name="Loan amount" typeRef="number"/></inputData>
  <businessKnowledgeModel id="fee_bkm" name="Fee">
    <encapsulatedLogic>
      <formalParameter name="amount" typeRef="number"/>
      <literalExpression><text>max(100, amount * 0.01)</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
  <decision id="eligible" name="Eligible">
    <variable name="Eligible" typeRef="boolean"/>
    <informationRequirement><requiredInput href="#applicant"/></informationRequirement>
    <literalExpression><text>Applicant.age &gt;= 18</text></literalExpression>
  </decision>
  <decision id="offer" name="Offer">
    <informationRequirement><requiredDecision href="#eligible"/></informationRequirement>
    <informationRequirement><requiredInput href="#amount"/></informationRequirement>
    <knowledgeRequirement><requiredKnowledge href="#fee_bkm"/></knowledgeRequirement>
    <context>
      <contextEntry><variable name="fee"/>
        <invocation><literalExpression><text>Fee</text></literalExpression>
          <binding><parameter name="amount"/><literalExpression><text>Loan amount</text></literalExpression></binding>
        </invocation>
      </contextEntry>
      <contextEntry><literalExpression><text>if Eligible then {{amount: Loan amount, fee: fee}} else null</text></literalExpression></contextEntry>
    </context>
  </decision>
</definitions>""".encode()


def test_decision_requirements_bkm_and_item_definitions():
    model = decisions.load(DRG)
    applicant = {"age": Decimal(30), "segment": "retail"}
    result = model.evaluate("Offer", {"Applicant": applicant, "Loan amount": Decimal(50000)})
    assert result == {"amount": Decimal(50000), "fee": Decimal("500.00")}
    assert (
        model.evaluate("Offer", {"Applicant": {"age": Decimal(16)}, "Loan amount": Decimal(10)})
        is None
    )
    assert (
        model.evaluate_all({"Applicant": applicant, "Loan amount": Decimal(1)})["Eligible"] is True
    )
    assert model.validate() == []


def test_input_outside_allowed_values_is_null():
    model = decisions.load(DRG)
    assert model.evaluate("Eligible", {"Applicant": {"age": Decimal(30), "segment": "x"}}) is None
    assert any("does not conform" in message for message in model.last_messages)


def test_validation_reports_every_problem():
    broken = f"""<definitions {NS} id="d" name="broken" namespace="urn:b">
      <decision id="a" name="A"><variable name="A" typeRef="tMissing"/>
        <informationRequirement><requiredDecision href="#nowhere"/></informationRequirement>
        <literalExpression><text>1 +</text></literalExpression></decision>
      <decision id="b" name="B">
        <decisionTable hitPolicy="SOMETIMES">
          <input><inputExpression><text>x</text></inputExpression></input>
          <output/>
          <rule><inputEntry><text>[1..</text></inputEntry><outputEntry><text>1</text></outputEntry></rule>
        </decisionTable></decision>
      <decision id="c" name="C"/>
    </definitions>""".encode()
    problems = decisions.load(broken).validate()
    text = "\n".join(problems)
    assert "unknown type 'tMissing'" in text
    assert "'#nowhere' points at nothing" in text
    assert "unexpected end of expression" in text
    assert "unknown hit policy 'SOMETIMES'" in text
    assert "rule 1" in text
    assert "c (C): the decision has no decision logic" in text
    assert all(line.startswith("model.dmn: ") for line in problems)


def test_not_dmn_is_refused_clearly():
    with pytest.raises(decisions.DmnReadError, match="not well-formed"):
        decisions.load(b"<definitions")
    with pytest.raises(decisions.DmnReadError, match="not <definitions>"):
        decisions.load(b"<bpmn/>")


def test_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" name="x" namespace="u">'
        b'<decision id="d" name="D"><literalExpression><text>"&b;"</text></literalExpression></decision>'
        b"</definitions>"
    )
    model = decisions.load(bomb)
    assert model.evaluate("D") in (None, "")


def test_hostile_expression_in_a_model_is_stopped():
    model = decisions.load(
        f"""<definitions {NS} id="d" name="h" namespace="urn:h">
      <decision id="d" name="D"><literalExpression><text>for i in 1..1000000000 return i</text></literalExpression></decision>
    </definitions>""".encode()
    )
    with pytest.raises(feel.FeelLimitError):
        model.evaluate("D")
