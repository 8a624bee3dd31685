from odoo.addons.complaint_base.models.complaint_integration import KEY_INDEX_SIZE, _hash_key


def migrate(cr, version):
    """Integration keys were stored in clear: keep their hashes only."""
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'complaint_integration' AND column_name = 'key'
        """
    )
    if not cr.fetchone():
        return
    cr.execute("SELECT id, key FROM complaint_integration WHERE key IS NOT NULL")
    for integration_id, key in cr.fetchall():
        cr.execute(
            "UPDATE complaint_integration SET key_index = %s, key_hash = %s WHERE id = %s",
            (key[:KEY_INDEX_SIZE], _hash_key(key), integration_id),
        )
    cr.execute("ALTER TABLE complaint_integration DROP COLUMN key CASCADE")
