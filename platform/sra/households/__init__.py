"""Households in the register: status, the facts as verified, priority points, verification,
renewal and data protection. The household's own pages live in ``tenant_portal``."""
