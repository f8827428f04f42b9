"""Roles are Django groups with these names; code refers to them by constant."""

SALESPERSON = "salesperson"
PHONE_SALES = "phone_sales"
FIELD_SALES = "field_sales"
DESIGNER = "designer"
SALES_MANAGER = "sales_manager"
ACCOUNTANT = "accountant"
INSTALLER = "installer"
SECRETARIAT = "secretariat"
DEPARTMENT_HEAD = "department_head"
BOARD = "board"
# A business-support institution's project coordinator: grants, claims, durability (S3).
COORDINATOR = "coordinator"
# Draws, checks and deploys process and decision models in the process studio (#15); a
# role beside the business ones (not in ALL_ROLES, which the demo gives a CRM user each):
# its group exists like the others' (GROUPS).
PROCESS_ADMIN = "process_admin"
ADMIN = "admin"

ALL_ROLES = (
    SALESPERSON,
    PHONE_SALES,
    FIELD_SALES,
    DESIGNER,
    SALES_MANAGER,
    ACCOUNTANT,
    INSTALLER,
    SECRETARIAT,
    DEPARTMENT_HEAD,
    BOARD,
    COORDINATOR,
    ADMIN,
)

# Roles whose members sell and own customers.
SELLING_ROLES = (SALESPERSON, PHONE_SALES, FIELD_SALES)

# Every role's group: made after each migrate, so administrators only assign them.
GROUPS = (*ALL_ROLES, PROCESS_ADMIN)


def ensure_groups(sender, *, using, apps=None, **kwargs) -> None:
    """Make the missing role groups: Django's `post_migrate` receiver (core/apps.py).

    After every migrate, as Django makes content types and permissions, rather than
    in a data migration alone: a role added to the code exists after the next
    migrate, and a flush (a transactional test's end, `obieg flush`) that empties
    the groups table is followed by post_migrate too, so no test finds a role
    missing because a transactional test ran before it. The early data migrations
    (core 0003, 0005, engine 0007) made the same groups and stay as history.
    """
    if apps is None:  # a flush sends post_migrate without the migration state's apps
        from django.apps import apps
    try:
        group = apps.get_model("auth", "Group")
    except LookupError:  # a migrate that left auth unapplied
        return
    # The names are unique: a group already there is left as it is, id and members.
    group.objects.using(using).bulk_create(
        [group(name=name) for name in GROUPS], ignore_conflicts=True
    )
