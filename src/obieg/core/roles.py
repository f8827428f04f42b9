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
# its group is made by the engine's migration 0007.
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
