"""S4: the expert-opinions firm — inquiries, departments, experts, margin routing to the board."""
