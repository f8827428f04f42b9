"""What the PV sales force plugs into the platform: pages, the morning clock job."""


def register() -> None:
    from obieg.solutions.pv_salesforce import (
        registration_field,
        registration_manager,
        registration_queue,
    )

    registration_queue.register()
    registration_field.register()
    registration_manager.register()
