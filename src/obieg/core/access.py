"""The access policy (SPEC P7): who sees and who changes which records.

One module decides for the UI lists, detail pages, the API and search alike:
every read goes through `visible(queryset, user)`, every write through
`ensure_can_change(user, instance)`. A record outside a user's scope is
simply not in their querysets, so views answer 404, never 500.

Each business model declares an `access = AccessPaths(...)` naming the
lookups that lead from it to its owner, its department and its board
escalation flag. The rules:

- admin (superuser or the `admin` role): everything;
- everyone: records they own;
- a team manager: records owned by members of the teams they manage;
- a department member: records of their department;
- the board: records escalated to it (read-only);
- accounting: records marked `finance` (customers, offers, contracts; read-only);
- whoever works on a record (a case's participants and their managers, as the
  apps that route work register them): that record, when it declares
  `participants`, and the records attached to it, when they declare
  `attached_to` (a PV project's designer and installers see its audit photos,
  offer, schematic and protocol, and may add files to it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial, reduce
from operator import or_
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _

from obieg.core import roles
from obieg.core.errors import PermissionDenied


@dataclass(frozen=True)
class AccessPaths:
    owner: str
    department: str | None = None
    escalated: str | None = None
    finance: bool = False
    # Whoever works on the record itself sees it (a PV project: its case's participants).
    participants: bool = False
    # The content-type and id fields of the generic relation by which the record is
    # attached to another (a document to its project or case): whoever works on that
    # record sees this one and may attach more.
    attached_to: tuple[str, str] | None = None


# Who works on which record is known to the apps that route work (the engine's cases),
# not to core, which must not import them: each registers a rule. A rule takes a user
# and returns a queryset of the records they work on, annotated `record_type` (a
# content type id) and `record_id`.
ParticipationRule = Callable[..., models.QuerySet]
_participation_rules: list[ParticipationRule] = []


def register_participation(rule: ParticipationRule) -> None:
    """Add a rule naming the records a user works on (called from an AppConfig.ready)."""
    if rule not in _participation_rules:
        _participation_rules.append(rule)


# A record may narrow what those who work on it see of the records attached to it
# (a PV project: its installers see the job's photos and protocol, not the offer,
# the contract or the invoices). A rule takes a user and returns a condition on the
# attached records, or None for all of them.
AttachmentRule = Callable[..., Q | None]
_attachment_rules: dict[type[models.Model], AttachmentRule] = {}


def register_attachment_rule(parent: type[models.Model], rule: AttachmentRule) -> None:
    """Narrow what a record's participants see of what is attached to it (AppConfig.ready)."""
    _attachment_rules[parent] = rule


def _narrowed(user) -> dict[int, Q]:
    """Each parent's narrowing of what is attached to it, by the parent's content type id."""
    from django.contrib.contenttypes.models import ContentType

    def build() -> dict[int, Q]:
        narrowed = {}
        for parent_model, rule in _attachment_rules.items():
            condition = rule(user)
            if condition is not None:
                narrowed[ContentType.objects.get_for_model(parent_model).pk] = condition
        return narrowed

    return per_user(user, ("narrowed", *_state(user)), build)


def _attached(parent: models.QuerySet, user) -> Q:
    """Records attached to one the user works on, as each parent's rule narrows them."""
    narrowed = _narrowed(user)
    if not narrowed:
        return Q(Exists(parent))
    others = parent.exclude(record_type__in=list(narrowed))
    conditions = [Q(Exists(others))]
    for type_id, condition in narrowed.items():
        conditions.append(Q(Exists(parent.filter(record_type=type_id))) & condition)
    return reduce(or_, conditions)


def _attached_to_type(records: models.QuerySet, type_id: int, user, attached_to) -> Q:
    """Records attached to one of `records`, all of content type `type_id`.

    An uncorrelated `subject_type_id = … AND subject_id IN (…)`, compiled once
    for the request, where the correlated EXISTS of `_attached` is compiled
    again into every statement, once per narrowing (six subqueries of the
    cases one works on for a salesperson's documents); and the narrowing of
    the one parent type these can be, not an OR over every parent type.
    """
    type_field, id_field = attached_to
    ids = compiled(records.values("record_id"))
    condition = Q(**{type_field: type_id, f"{id_field}__in": ids})
    narrowing = _narrowed(user).get(type_id)
    return condition if narrowing is None else condition & narrowing


def _constant_type(records: models.QuerySet) -> int | None:
    """The content type every record of a rule's answer has, when the rule fixes it."""
    annotation = records.query.annotations.get("record_type")
    return annotation.value if isinstance(annotation, Value) else None


def compiled(queryset: models.QuerySet) -> RawSQL:
    """An uncorrelated subquery as SQL, compiled once however many statements it joins.

    A scope is reused by every query of a request (`_scope` keeps it on the
    user); its subqueries (the cases one works on, a team's members) would
    otherwise be compiled again, join by join, into each statement. Only for
    subqueries with no OuterRef: their text does not depend on the query around them.
    Use it as `Q(pk__in=compiled(records.values("pk")))`.
    """
    queryset = queryset.order_by()  # an IN needs no order
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return RawSQL(sql, params)


def _worked_on(model, user, paths: AccessPaths) -> Q | None:
    """The records of `model` that `user` sees because they work on them (or their parent)."""
    if not (paths.participants or paths.attached_to) or not _participation_rules:
        return None
    from django.contrib.contenttypes.models import ContentType

    conditions = []
    for rule in _participation_rules:
        records = per_user(user, (rule, *_state(user)), partial(rule, user))
        if paths.participants:
            own_type = ContentType.objects.get_for_model(model).pk
            fixed = _constant_type(records)
            # A rule that names only other kinds of record (the cases themselves,
            # a solution's projects) can add none of these: left out, not compiled.
            if fixed is None or fixed == own_type:
                ids = records.order_by().values("record_id")
                if fixed is None:
                    ids = ids.filter(record_type=own_type)
                conditions.append(Q(pk__in=compiled(ids)))
        if paths.attached_to:
            fixed = _constant_type(records)
            if fixed is not None:
                conditions.append(_attached_to_type(records, fixed, user, paths.attached_to))
            else:
                type_field, id_field = paths.attached_to
                parent = records.filter(
                    record_type=OuterRef(type_field), record_id=OuterRef(id_field)
                )
                conditions.append(_attached(parent, user))
    return reduce(or_, conditions) if conditions else None


def per_user(user, key, build: Callable[[], Any]) -> Any:
    """`build()`, kept on the user object for the next call with `key`: once per request.

    For conditions (unevaluated querysets, Q objects) a request asks for again
    and again, and the few ids they are built from (the people a manager
    oversees: engine.selectors), never for records: the object lives as long
    as the request's user, so a change made meanwhile shows at the next request.
    """
    memo = getattr(user, "_obieg_memo", None)
    if memo is None:
        memo = user._obieg_memo = {}
    if key not in memo:
        memo[key] = build()
    return memo[key]


def _state(user) -> tuple:
    """What a user's scopes are built from, besides the teams they manage (`manages_team`)."""
    return (user.pk, user.department_id, user.role_names)


def is_admin(user) -> bool:
    if user.is_superuser:
        return True
    _read_standing(user)
    return user.has_role(roles.ADMIN)


def _read_standing(user) -> None:
    """Read the user's roles and whether they manage a team, in one statement.

    Every request of a user who is not a superuser asks both, one after the
    other (`is_admin`, then the scope's `manages_team`): as two statements
    they were most of what a salesperson pays over an admin on a short page.
    Both are kept for the request: the roles as `User.role_names` (its
    cached value), the team in `per_user`. Nothing is read again when the
    roles are known already, or for an object that is no saved user: the
    request's user comes with both from its own read (core.auth_backend), so
    this reads only for users loaded otherwise (a worker's, a test's).
    """
    team_key = ("manages_team", user.pk)
    if isinstance(user, LazyObject):  # request.user: the cached value belongs on the user
        user = user._wrapped  # type: ignore[attr-defined]  # set up by user.pk above
    if "role_names" in user.__dict__ or user.pk is None or not hasattr(user, "managed_teams"):
        return
    memo = getattr(user, "_obieg_memo", None)
    if memo is not None and team_key in memo:
        return
    # A group's name is never NULL: the rows of the teams they manage are told apart by one.
    teams = user.managed_teams.order_by().values_list(
        Value(None, output_field=models.CharField()), flat=True
    )
    rows = list(user.groups.order_by().values_list("name", flat=True).union(teams, all=True))
    user.__dict__["role_names"] = frozenset(row for row in rows if row is not None)
    per_user(user, team_key, lambda: None in rows)


def know_standing(user, *, role_names, manages_team: bool, heads_department: bool) -> None:
    """Keep for the request what the request's user read came with (core.auth_backend).

    The same places `_read_standing` fills, so neither it nor `manages_team`
    nor `heads_department` asks the database again.
    """
    user.__dict__["role_names"] = frozenset(role_names)
    per_user(user, ("manages_team", user.pk), lambda: manages_team)
    per_user(user, ("heads_department", user.pk), lambda: heads_department)


def _paths(model: type[models.Model]) -> AccessPaths:
    try:
        return model.access  # type: ignore[attr-defined]
    except AttributeError as error:
        raise TypeError(f"{model.__name__} declares no access paths") from error


def _hop(model: type[models.Model], path: str) -> tuple[Any, str] | None:
    """The relation a lookup path crosses first, and the rest of the path beyond it.

    None when the path names a column of `model` itself (`owner`, `owner__in`,
    `department`), or passes a generic relation, which leads to no one model.
    """
    name, _, rest = path.partition("__")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    related: Any = field.related_model
    if not field.is_relation or not isinstance(related, type):
        return None
    if field.many_to_many or field.one_to_many:
        return field, rest  # a column of the other table, or the relation itself
    try:  # a forward foreign key: crossed only when the rest is a field of its table
        related._meta.get_field(rest.split("__")[0])  # type: ignore[attr-defined]
    except FieldDoesNotExist:
        return None  # `account`, `account__in`, `account__isnull`: this table's column
    return field, rest


def _condition(model: type[models.Model], path: str, value) -> Q:
    """`path` leads to `value`, as a test of the record's own columns.

    A path that crosses to another table is a semi-join, never a join:
    `EXISTS (SELECT 1 FROM crm_account WHERE id = document.account_id AND
    owner_id = …)`, through a reverse foreign key `EXISTS (SELECT 1 FROM
    crm_opportunity WHERE account_id = … AND department_id = …)`. A join
    keeps each record once only along foreign keys, and in a scope of
    several OR-ed conditions the database must join the whole tables before
    it can test any: PostgreSQL hashed all 10^5 accounts to keep a
    salesperson's 1,002 documents (130 ms), and joined 10^6 activities to
    their opportunities for a department member (more than 20 s). A
    correlated EXISTS leaves PostgreSQL the choice per statement: probe the
    other table's primary key per row where there are few rows (six offers),
    read the matching keys once into a hash where there are many; alone in a
    scope it is planned as the join it replaces, so lists and counts keep
    their plans. (An uncorrelated `account_id IN (…)` always reads all the
    keys: 25-57 ms of a department's opportunities to filter six offers.)
    """
    hop = _hop(model, path)
    if hop is None:
        return Q(**{path: value})
    field, rest = hop
    related = field.related_model
    if field.many_to_many or not rest:
        # Through a join table, or a test of the relation itself: the records' own keys.
        return Q(pk__in=compiled(model._default_manager.filter(**{path: value}).values("pk")))
    if field.one_to_many or not field.concrete:  # the other table's foreign key names them
        remote = field.field
        rows = related._default_manager.filter(
            _condition(related, rest, value),
            **{remote.attname: OuterRef(remote.target_field.attname)},
        )
        return Q(Exists(rows))
    target = field.target_field
    further = _hop(related, rest)
    if further is not None and further[0].one_to_many and further[1]:
        remote = further[0].field
        if remote.target_field == target:
            # account__opportunities__department: the opportunities name the account
            # by the key the record holds; the accounts table need not be read at all.
            grand = further[0].related_model
            rows = grand._default_manager.filter(
                _condition(grand, further[1], value), **{remote.attname: OuterRef(field.attname)}
            )
            return Q(Exists(rows))
    rows = related._default_manager.filter(
        _condition(related, rest, value), **{target.attname: OuterRef(field.attname)}
    )
    return Q(Exists(rows))


def manages_team(user) -> bool:
    """Whether `user` manages a team; asked once per user object (that is, per request)."""
    _read_standing(user)
    return per_user(user, ("manages_team", user.pk), user.managed_teams.exists)


def heads_department(user) -> bool:
    """Whether `user` heads a department; asked once per user object (that is, per request)."""
    return per_user(user, ("heads_department", user.pk), user.headed_departments.exists)


def _scope(model, user, *, for_change: bool) -> Q | None:
    """The Q of records `user` may see (or change); None means all of them.

    Built once per model for a user object, that is once per request: a page
    asks for the scope of the same models many times (each list, count and
    section of the 360° page), and building it, subqueries and all, is most of
    what such a read costs in Python. The Q holds conditions, never rows, so
    reusing it reads what the database holds at each query; the key carries
    what it is built from (the user's roles and department), so a user object
    changed in between is not answered from an older scope.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if is_admin(user):
        return None
    key = ("scope", model, for_change, *_state(user))
    return per_user(user, key, lambda: _build_scope(model, user, for_change=for_change))


def _build_scope(model, user, *, for_change: bool) -> Q | None:
    paths = _paths(model)
    if manages_team(user):
        # One "owner in (me and my teams' members)" test, not an OR across a
        # join to the team table, lets the database use the owner indexes.
        people = get_user_model()._default_manager.filter(Q(pk=user.pk) | Q(team__manager=user))
        conditions = [_condition(model, f"{paths.owner}__in", compiled(people.values("pk")))]
    else:
        conditions = [_condition(model, paths.owner, user)]
    if paths.department and user.department_id:
        conditions.append(_condition(model, paths.department, user.department_id))
    if not for_change:
        if paths.escalated and user.has_role(roles.BOARD):
            conditions.append(_condition(model, paths.escalated, True))
        if paths.finance and user.has_role(roles.ACCOUNTANT):
            return None
        worked_on = _worked_on(model, user, paths)
        if worked_on is not None:
            conditions.append(worked_on)
    return reduce(or_, conditions)


def reader_shape(user, *models_read: type[models.Model], for_change: bool = False) -> tuple | None:
    """What `user`'s scopes of `models_read` are built from, besides their own and their
    department's ids: readers of one shape get the same SQL with their own ids in it, so
    a statement over their scopes can be compiled once per shape (core/reader_statements).

    The scope's conditions follow from the reader's roles, whether they manage a team
    and whether they have a department (`_build_scope`). None where they follow from
    more: the records someone works on are read by the participation rules (which
    widen what one sees, never what one may change).
    """
    if not user.is_authenticated or not user.is_active:
        return None
    for model in models_read:
        paths = _paths(model)
        if (paths.participants or paths.attached_to) and _participation_rules and not for_change:
            return None
    if is_admin(user):
        return ("admin",)
    return (tuple(sorted(user.role_names)), manages_team(user), user.department_id is not None)


def stand_in_reader(user, pk, department_id):
    """A user of `user`'s shape (`reader_shape`) with other ids (compiled_once's stand-ins),
    whose scopes read nothing."""
    reader = get_user_model()(
        pk=pk, department_id=department_id, is_superuser=user.is_superuser, is_active=True
    )
    reader.__dict__["role_names"] = frozenset(user.role_names)
    per_user(reader, ("manages_team", pk), lambda: manages_team(user))
    return reader


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    """Only the records of `queryset` that `user` may see."""
    scope = _scope(queryset.model, user, for_change=False)
    return queryset if scope is None else queryset.filter(scope)


@cache
def inherits_access(model: type[models.Model], via: str) -> bool:
    """Whether each record of `model` is visible to whoever sees the record its `via` leads to.

    True when the record's paths are its parent's through `via` (a contact
    person's, a document's are their account's): the same owner, department
    and escalation, read by accounting when the parent is, and the parent seen
    through no path of its own besides them (no participants, nothing attached
    to). What only the record adds (a document's readers through what it is
    attached to) widens its readers, so it does not matter here.
    """
    parent: Any = model
    try:
        for name in via.split("__"):
            parent = parent._meta.get_field(name).related_model
    except (FieldDoesNotExist, AttributeError):  # not a path of foreign keys
        return False
    if not (isinstance(parent, type) and hasattr(parent, "access") and hasattr(model, "access")):
        return False
    mine, theirs = _paths(model), _paths(parent)

    def through(path: str | None) -> str | None:
        return None if path is None else f"{via}__{path}"

    return (
        mine.owner == through(theirs.owner)
        and mine.department == through(theirs.department)
        and mine.escalated == through(theirs.escalated)
        and (mine.finance or not theirs.finance)
        and not theirs.participants
        and theirs.attached_to is None
    )


def visible_under(queryset: models.QuerySet, user, via: str) -> models.QuerySet:
    """`visible(queryset, user)` for records of one parent the caller has shown `user` sees.

    A customer's 360° page has read its account through the policy; its
    contact persons and documents then need no filter of their own (see
    `inherits_access`), which spares the database a join and the
    subqueries of every path for each of them.
    """
    if inherits_access(queryset.model, via):  # type: ignore[arg-type]  # a class hashes
        return queryset
    return visible(queryset, user)


def changeable(queryset: models.QuerySet, user) -> models.QuerySet:
    scope = _scope(queryset.model, user, for_change=True)
    return queryset if scope is None else queryset.filter(scope)


def get_visible_or_404(queryset: models.QuerySet, user, **lookup):
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


# The board and accounting see records to oversee them (SPEC P7), not to work on them.
# A process administrator works on models in the studio, not on customer records.
READ_ONLY_ROLES = frozenset({roles.BOARD, roles.ACCOUNTANT, roles.PROCESS_ADMIN})


def may_create(user) -> bool:
    """Whether `user` may add new records of their own (accounts, leads …).

    Changing an existing record is decided per record by `can_change`; a new
    record has no scope yet, so creating needs a working role.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return is_admin(user) or bool(user.role_names - READ_ONLY_ROLES)


def ensure_may_create(user) -> None:
    if not may_create(user):
        raise PermissionDenied(_("Your roles allow reading records, not adding them."))


def can_change(user, instance: models.Model) -> bool:
    """Whether `user` may change `instance`: asked of the database, compiled once per kind
    of reader (every record's page asks it, and building the scope cost more than the query)."""
    from obieg.core import compiled_once, reader_statements  # they build on this module

    model = type(instance)
    if not isinstance(model._meta.pk, models.AutoField):  # a key compiled_once cannot stand in
        return changeable(model._default_manager.filter(pk=instance.pk), user).exists()
    found = reader_statements.rows(
        ("may change", model),
        user,
        models=(model,),
        for_change=True,
        build=lambda reader, values: changeable(
            model._default_manager.filter(pk=values["record"]), reader
        ).values_list("pk")[:1],
        values={"record": instance.pk},
        kinds={"record": compiled_once.Value(int, model._meta.pk)},
    )
    return bool(found)


def ensure_can_change(user, instance: models.Model) -> None:
    if not can_change(user, instance):
        raise PermissionDenied(_("You may view this record but not change it."))


def can_attach(user, instance: models.Model) -> bool:
    """Whether `user` may attach files to `instance` (or add versions to an attached one).

    Those who may change it, and those who work on it: a designer adds the
    schematic to the project they design, an installer the photos of their work.
    """
    if can_change(user, instance):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    model = type(instance)
    worked_on = _worked_on(model, user, _paths(model))
    return (
        worked_on is not None and model._default_manager.filter(worked_on, pk=instance.pk).exists()
    )


def ensure_can_attach(user, instance: models.Model) -> None:
    if not can_attach(user, instance):
        raise PermissionDenied(_("You do not work on this record, so you cannot add files to it."))
