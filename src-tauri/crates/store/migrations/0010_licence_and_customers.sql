-- 0010_licence_and_customers: production licence and site, 委托生产, and customers of every kind.
--
-- 1. enterprise: licence_no (生产许可证编号; the app checks its shape and only warns, the format
--    is not officially published) and production_address (生产地址, which may differ from the
--    registered address).
-- 2. product: licence_no and production_address when they differ from the enterprise's, and
--    委托生产: oem_role '' (made by us, not under entrustment), 'manufacturer' (we make it for an
--    entrusting party, the 委托方) or 'principal' (we are the 委托方; an entrusted manufacturer
--    makes it), with that other party's name and USCC.
-- 3. party: party_type 'organisation' (USCC, as before), 'individual' (a natural person: only the
--    masked ID card number and the masked mobile number are ever stored, with when the person
--    consented) or 'foreign' (country ISO 3166-1 alpha-2 and a registration number). The CHECKs
--    keep a full ID card or mobile number out of the file whatever the caller does.
-- 4. shipment: ship_to (收货地址); empty means the customer's address.
-- 5. The audit triggers of these tables are rebuilt to log the new columns, and the source-change
--    triggers of 0008 to count them as reported content.

ALTER TABLE enterprise ADD COLUMN licence_no TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprise ADD COLUMN production_address TEXT NOT NULL DEFAULT '';

ALTER TABLE product ADD COLUMN licence_no TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN production_address TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN oem_role TEXT NOT NULL DEFAULT ''
    CHECK (oem_role IN ('', 'manufacturer', 'principal'));
ALTER TABLE product ADD COLUMN oem_name TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN oem_uscc TEXT NOT NULL DEFAULT '';

ALTER TABLE party ADD COLUMN party_type TEXT NOT NULL DEFAULT 'organisation'
    CHECK (party_type IN ('organisation', 'individual', 'foreign'));
ALTER TABLE party ADD COLUMN id_masked TEXT NOT NULL DEFAULT ''
    CHECK (id_masked = '' OR (length(id_masked) = 18 AND substr(id_masked, 4, 11) = '***********'));
ALTER TABLE party ADD COLUMN consent_at TEXT;
ALTER TABLE party ADD COLUMN country TEXT NOT NULL DEFAULT ''
    CHECK (country = '' OR (length(country) = 2 AND country NOT GLOB '*[^A-Z]*'));
ALTER TABLE party ADD COLUMN foreign_reg_no TEXT NOT NULL DEFAULT '';

-- A person's phone is kept masked (138****5678) or not at all.
CREATE TRIGGER party_individual_phone_masked_insert BEFORE INSERT ON party
    WHEN NEW.party_type = 'individual' AND NEW.phone <> '' AND NEW.phone NOT GLOB '1[3-9][0-9][*][*][*][*][0-9][0-9][0-9][0-9]' BEGIN
    SELECT RAISE(ABORT, 'party: an individual''s phone is stored masked only');
END;
CREATE TRIGGER party_individual_phone_masked_update BEFORE UPDATE OF party_type, phone ON party
    WHEN NEW.party_type = 'individual' AND NEW.phone <> '' AND NEW.phone NOT GLOB '1[3-9][0-9][*][*][*][*][0-9][0-9][0-9][0-9]' BEGIN
    SELECT RAISE(ABORT, 'party: an individual''s phone is stored masked only');
END;

ALTER TABLE shipment ADD COLUMN ship_to TEXT NOT NULL DEFAULT '';

-- Audit: the same triggers as before, with the new columns.
DROP TRIGGER enterprise_audit_insert;
DROP TRIGGER enterprise_audit_update;
DROP TRIGGER enterprise_audit_delete;
CREATE TRIGGER enterprise_audit_insert AFTER INSERT ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address));
END;
CREATE TRIGGER enterprise_audit_update AFTER UPDATE ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'uscc', OLD.uscc, 'address', OLD.address,
            'contact', OLD.contact, 'phone', OLD.phone, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address));
END;
CREATE TRIGGER enterprise_audit_delete AFTER DELETE ON enterprise BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'enterprise', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'uscc', OLD.uscc, 'address', OLD.address,
            'contact', OLD.contact, 'phone', OLD.phone, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address), NULL);
END;

DROP TRIGGER party_audit_insert;
DROP TRIGGER party_audit_update;
DROP TRIGGER party_audit_delete;
CREATE TRIGGER party_audit_insert AFTER INSERT ON party
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc, 'address', NEW.address,
            'contact', NEW.contact, 'phone', NEW.phone, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'party_type', NEW.party_type, 'id_masked', NEW.id_masked,
            'consent_at', NEW.consent_at, 'country', NEW.country, 'foreign_reg_no', NEW.foreign_reg_no));
END;
CREATE TRIGGER party_audit_update AFTER UPDATE ON party BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'name', OLD.name, 'uscc', OLD.uscc,
            'address', OLD.address, 'contact', OLD.contact, 'phone', OLD.phone,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'party_type', OLD.party_type, 'id_masked', OLD.id_masked, 'consent_at', OLD.consent_at,
            'country', OLD.country, 'foreign_reg_no', OLD.foreign_reg_no),
        json_object(
            'id', NEW.id, 'kind', NEW.kind, 'name', NEW.name, 'uscc', NEW.uscc,
            'address', NEW.address, 'contact', NEW.contact, 'phone', NEW.phone,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'party_type', NEW.party_type, 'id_masked', NEW.id_masked, 'consent_at', NEW.consent_at,
            'country', NEW.country, 'foreign_reg_no', NEW.foreign_reg_no));
END;
CREATE TRIGGER party_audit_delete AFTER DELETE ON party BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'party', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'kind', OLD.kind, 'name', OLD.name, 'uscc', OLD.uscc,
            'address', OLD.address, 'contact', OLD.contact, 'phone', OLD.phone,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'party_type', OLD.party_type, 'id_masked', OLD.id_masked, 'consent_at', OLD.consent_at,
            'country', OLD.country, 'foreign_reg_no', OLD.foreign_reg_no), NULL);
END;

DROP TRIGGER product_audit_insert;
DROP TRIGGER product_audit_update;
DROP TRIGGER product_audit_delete;
CREATE TRIGGER product_audit_insert AFTER INSERT ON product
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'name', NEW.name, 'model', NEW.model, 'category', NEW.category,
            'brand', NEW.brand, 'standard', NEW.standard, 'gtin', NEW.gtin, 'scheme', NEW.scheme,
            'granularity', NEW.granularity, 'ccc_cert_no', NEW.ccc_cert_no,
            'ccc_valid_from', NEW.ccc_valid_from, 'ccc_valid_to', NEW.ccc_valid_to,
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'ccc_models', NEW.ccc_models,
            'submitted_at', NEW.submitted_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address, 'oem_role', NEW.oem_role,
            'oem_name', NEW.oem_name, 'oem_uscc', NEW.oem_uscc));
END;
CREATE TRIGGER product_audit_update AFTER UPDATE ON product BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'model', OLD.model, 'category', OLD.category,
            'brand', OLD.brand, 'standard', OLD.standard, 'gtin', OLD.gtin, 'scheme', OLD.scheme,
            'granularity', OLD.granularity, 'ccc_cert_no', OLD.ccc_cert_no,
            'ccc_valid_from', OLD.ccc_valid_from, 'ccc_valid_to', OLD.ccc_valid_to,
            'ccc_mark_no', OLD.ccc_mark_no, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'ccc_models', OLD.ccc_models,
            'submitted_at', OLD.submitted_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address, 'oem_role', OLD.oem_role,
            'oem_name', OLD.oem_name, 'oem_uscc', OLD.oem_uscc),
        json_object(
            'id', NEW.id, 'name', NEW.name, 'model', NEW.model, 'category', NEW.category,
            'brand', NEW.brand, 'standard', NEW.standard, 'gtin', NEW.gtin, 'scheme', NEW.scheme,
            'granularity', NEW.granularity, 'ccc_cert_no', NEW.ccc_cert_no,
            'ccc_valid_from', NEW.ccc_valid_from, 'ccc_valid_to', NEW.ccc_valid_to,
            'ccc_mark_no', NEW.ccc_mark_no, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'ccc_models', NEW.ccc_models,
            'submitted_at', NEW.submitted_at, 'licence_no', NEW.licence_no,
            'production_address', NEW.production_address, 'oem_role', NEW.oem_role,
            'oem_name', NEW.oem_name, 'oem_uscc', NEW.oem_uscc));
END;
CREATE TRIGGER product_audit_delete AFTER DELETE ON product BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'product', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'name', OLD.name, 'model', OLD.model, 'category', OLD.category,
            'brand', OLD.brand, 'standard', OLD.standard, 'gtin', OLD.gtin, 'scheme', OLD.scheme,
            'granularity', OLD.granularity, 'ccc_cert_no', OLD.ccc_cert_no,
            'ccc_valid_from', OLD.ccc_valid_from, 'ccc_valid_to', OLD.ccc_valid_to,
            'ccc_mark_no', OLD.ccc_mark_no, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at, 'ccc_models', OLD.ccc_models,
            'submitted_at', OLD.submitted_at, 'licence_no', OLD.licence_no,
            'production_address', OLD.production_address, 'oem_role', OLD.oem_role,
            'oem_name', OLD.oem_name, 'oem_uscc', OLD.oem_uscc), NULL);
END;

DROP TRIGGER shipment_audit_insert;
DROP TRIGGER shipment_audit_update;
DROP TRIGGER shipment_audit_delete;
CREATE TRIGGER shipment_audit_insert AFTER INSERT ON shipment
    WHEN COALESCE((SELECT bulk FROM audit_context WHERE id = 1), 0) = 0 BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'insert', NULL,
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at, 'ship_to', NEW.ship_to));
END;
CREATE TRIGGER shipment_audit_update AFTER UPDATE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', NEW.id, 'update',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at, 'ship_to', OLD.ship_to),
        json_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'shipped_on', NEW.shipped_on,
            'delivery_note_no', NEW.delivery_note_no, 'note', NEW.note,
            'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'submitted_at', NEW.submitted_at, 'ship_to', NEW.ship_to));
END;
CREATE TRIGGER shipment_audit_delete AFTER DELETE ON shipment BEGIN
    INSERT INTO audit_log (actor, table_name, row_id, action, old_values, new_values)
    VALUES (COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'system'), 'shipment', OLD.id, 'delete',
        json_object(
            'id', OLD.id, 'customer_id', OLD.customer_id, 'shipped_on', OLD.shipped_on,
            'delivery_note_no', OLD.delivery_note_no, 'note', OLD.note,
            'created_at', OLD.created_at, 'updated_at', OLD.updated_at,
            'submitted_at', OLD.submitted_at, 'ship_to', OLD.ship_to), NULL);
END;

-- Reported content: the new columns count as a change of the record.
DROP TRIGGER enterprise_source_change;
CREATE TRIGGER enterprise_source_change AFTER UPDATE OF name, uscc, address, contact, phone, licence_no,
    production_address ON enterprise BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'enterprise' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('enterprise', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
DROP TRIGGER product_source_change;
CREATE TRIGGER product_source_change AFTER UPDATE OF name, model, category, brand, standard, gtin, scheme,
    granularity, ccc_cert_no, ccc_valid_from, ccc_valid_to, ccc_mark_no, ccc_models, licence_no,
    production_address, oem_role, oem_name, oem_uscc ON product BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'product' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('product', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
DROP TRIGGER shipment_source_change;
CREATE TRIGGER shipment_source_change AFTER UPDATE OF customer_id, shipped_on, delivery_note_no, note, ship_to
    ON shipment BEGIN
    DELETE FROM outbox_source_change WHERE source_kind = 'shipment' AND source_id = NEW.id;
    INSERT INTO outbox_source_change VALUES ('shipment', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
