"""docs/permissions.md, written from the permission matrix (coordinate/permissions.py)."""

from config.generated_doc import GeneratedDocCommand
from coordinate.permissions import (
    ACCOUNT_URLS,
    ADMIN_MODELS,
    ADMIN_VIEWS,
    GROUPS,
    MODEL_URL_SUFFIXES,
    PAGES,
    ROLE_DESCRIPTIONS,
    ROLES,
    SITE_URLS,
    Action,
    Reach,
)


def _cell(value: str) -> str:
    return "—" if value in ("", Reach.NONE) else value


def render() -> str:
    """The text of docs/permissions.md."""
    lines = [
        "# Who may do what",
        "",
        "Generated from `coordinate/permissions.py` by `manage.py permissions_doc`; do not edit by "
        "hand (a test fails when this file and the module differ). "
        "`tests/coordinate/test_permission_matrix.py` tries every cell with real requests and "
        "checks the status and that no student's data is in the response.",
        "",
        "## Roles",
        "",
    ]
    lines += [f"- **{role}**: {ROLE_DESCRIPTIONS[role]}" for role in ROLES]
    lines += [
        "",
        "Groups: "
        + "; ".join(
            f"“{name}” gives {('the ' + str(role) + ' role') if role else 'nothing in the admin'}"
            for name, role in GROUPS.items()
        )
        + ".",
        "",
        "## Pages",
        "",
        "Reach: *own campaigns* — the campaigns the user coordinates; *own teams* — only the "
        "letters and batches of the user's teams; *own letter* — the letter of the private link; "
        "*own invitation* — an invitation sent to the user's email address; *the link's holder* "
        "— whoever holds an invitation's link, not logged in, makes the account of the invited "
        "address when it has none (the link reached the address); — refused: a "
        "404 (or the login page for anonymous users), never a hint that the object exists.",
        "",
        "| page | methods | what | " + " | ".join(ROLES) + " |",
        "|---|---|---|" + "---|" * len(ROLES),
    ]
    for page in PAGES:
        cells = " | ".join(_cell(page.reach_of(role)) for role in ROLES)
        lines.append(f"| `{page.url_name}` | {' '.join(page.methods)} | {page.what} | {cells} |")
    lines += [
        "",
        "Site pages that hold nothing of anyone's:",
        "",
        *[f"- `{name}`: {what}" for name, what in SITE_URLS.items()],
        "",
        "Account pages (`/accounts/`): each shows and changes only the person's own account, or "
        "the one a link was emailed to (the link is the proof). Those marked *log in* send "
        "anonymous users to log in:",
        "",
        *[
            f"- `{name}`{' (*log in*)' if needs_login else ''}: {what}"
            for name, (needs_login, what) in ACCOUNT_URLS.items()
        ],
        "",
        "## Admin models",
        "",
        "Actions a role may take on each model (v view, a add, c change, d delete); students' "
        "data is marked. Coordinators, team coordinators, students and anonymous users have "
        "nothing in the admin.",
        "",
        "| model | what | students' data | " + " | ".join(ROLES[2:]) + " | admin actions |",
        "|---|---|---|" + "---|" * (len(ROLES) - 2) + "---|",
    ]
    for model in ADMIN_MODELS:
        cells = " | ".join(
            _cell("".join(action.value[0] for action in Action if action in model.actions_of(role)))
            for role in ROLES[2:]
        )
        actions = ", ".join(f"`{name}` ({needs})" for name, needs in model.actions.items())
        data = "yes" if model.student_data else ""
        lines.append(f"| `{model.label}` | {model.what} | {_cell(data)} | {cells} | {actions} |")
    lines += ["", "### Notes", ""]
    for model in ADMIN_MODELS:
        details = []
        if model.administrator_only_fields:
            details.append(
                "In the admin, only an administrator changes "
                + ", ".join(f"`{name}`" for name in model.administrator_only_fields)
            )
        if model.never_shown:
            details.append("Never shown: " + ", ".join(f"`{n}`" for n in model.never_shown))
        if model.notes:
            details.append(model.notes)
        if details:
            lines.append(f"- `{model.label}`: " + " ".join(d.rstrip(".") + "." for d in details))
    lines += [
        "",
        "## Admin views",
        "",
        "| view | what | " + " | ".join(ROLES[2:]) + " |",
        "|---|---|" + "---|" * (len(ROLES) - 2),
    ]
    for view in ADMIN_VIEWS:
        cells = " | ".join("yes" if role in view.roles else "—" for role in ROLES[2:])
        lines.append(f"| `{view.url_name}` | {view.what} | {cells} |")
    lines += [
        "",
        "Every model also has its changelist, add, change, delete and history pages "
        f"({', '.join(MODEL_URL_SUFFIXES)}), open as the table of admin models says.",
        "",
    ]
    return "\n".join(lines)


class Command(GeneratedDocCommand):
    help = "Write docs/permissions.md from coordinate/permissions.py (a test checks they agree)."
    doc = "permissions.md"

    def render(self) -> str:
        return render()
