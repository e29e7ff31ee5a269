"""SQL of the PostgreSQL fast path (see ``fastpath.py``), installed by migrations.

The texts are versioned: a migration installs one version and is never edited afterwards. To change
a function, add ``..._V2`` here and a new migration that installs it (``CREATE OR REPLACE``).

``jcm_registry_json_string(text)``
    a JSON string literal exactly as ``core.journal.canonical_json`` writes it (Python's ``json``
    with ``ensure_ascii=False``: ``"`` and ``\\`` escaped, ``\\b \\f \\n \\r \\t`` for those
    control characters, ``\\u00xx`` (lower-case hex) for the other ones below U+0020, everything
    else verbatim).

``jcm_registry_transfer(...)``
    one ``services.transfer`` in one statement: the same idempotency key, locks (accounts, then
    blocks, by primary key; the journal head last), checks in the same order, deterministic split,
    rows, audit event and hash-chained journal entry as the Python service. Refusals raise SQLSTATE
    ``JR0xx`` (see ``fastpath.ERRORS``) with the service's message; the Python wrapper re-raises
    the same ``LedgerError``. Returns the stored result as jsonb, or ``{"replay": {...}}`` when the
    key already exists (the wrapper answers as ``_idempotent`` does).
"""

JSON_STRING_V1 = r"""
CREATE OR REPLACE FUNCTION jcm_registry_json_string(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    o text;
    i int;
BEGIN
    IF strpos(s, '"') = 0 AND strpos(s, '\') = 0 AND s !~ ('[' || chr(1) || '-' || chr(31) || ']') THEN
        RETURN '"' || s || '"';
    END IF;
    o := replace(replace(s, '\', '\\'), '"', '\"');
    o := replace(o, chr(8), '\b');
    o := replace(o, chr(9), '\t');
    o := replace(o, chr(10), '\n');
    o := replace(o, chr(12), '\f');
    o := replace(o, chr(13), '\r');
    FOR i IN 1..31 LOOP
        IF i NOT IN (8, 9, 10, 12, 13) THEN
            o := replace(o, chr(i), '\u' || lpad(to_hex(i), 4, '0'));
        END IF;
    END LOOP;
    RETURN '"' || o || '"';
END
$fn$;
"""

TRANSFER_V1 = r"""
CREATE OR REPLACE FUNCTION jcm_registry_transfer(
    p_key text,
    p_request_hash text,
    p_from text,
    p_to text,
    p_starts bigint[],      -- normalised ranges (ascending, merged), or NULL with p_quantity
    p_ends bigint[],
    p_quantity bigint,      -- oldest vintage first, or NULL with ranges
    p_now timestamptz,
    p_occurred_at text,     -- now.isoformat()
    p_date text,            -- now.date().isoformat()
    p_actor_id bigint,
    p_actor_label text,
    p_request_id text,
    p_audit_label text
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    existing record;
    a record;
    b registry_block;
    src_id bigint; src_kind text; src_status text; src_balance bigint; src_reg_id bigint; src_reg text;
    dst_id bigint; dst_kind text; dst_status text; dst_balance bigint; dst_reg text;
    v_cand bigint[] := '{}';
    v_rows registry_block[];
    v_starts bigint[];
    v_ends bigint[];
    v_ps bigint[] := '{}';
    v_pe bigint[] := '{}';
    v_got bigint := 0;
    v_avail bigint := 0;
    v_take bigint;
    v_n int;
    i int;
    v_cur bigint;
    v_lo bigint;
    v_hi bigint;
    v_qty bigint := 0;
    -- blocks: rows to update (id, end, account), rows to create (start, end, account, copied from)
    u_id bigint[] := '{}'; u_end bigint[] := '{}'; u_acct bigint[] := '{}';
    c_start bigint[] := '{}'; c_end bigint[] := '{}'; c_acct bigint[] := '{}'; c_from bigint[] := '{}';
    m_start bigint[] := '{}'; m_end bigint[] := '{}'; m_iss bigint[] := '{}';
    v_first boolean;
    v_ranges_text text;
    v_payload text;
    v_tx_id bigint;
    v_seq bigint;
    v_prev text;
    v_digest text;
    v_entry bigint;
    v_result jsonb;
BEGIN
    -- Idempotency key first (a concurrent holder of the same key makes us wait for its outcome).
    INSERT INTO registry_idempotencykey (key, operation, request_hash, result, created_at)
    VALUES (p_key, 'transfer', p_request_hash, '{}'::jsonb, p_now)
    ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
        SELECT k.operation, k.request_hash, k.result INTO existing FROM registry_idempotencykey k WHERE k.key = p_key;
        RETURN jsonb_build_object('replay', jsonb_build_object(
            'operation', existing.operation, 'request_hash', existing.request_hash, 'result', existing.result));
    END IF;

    -- 1. accounts, by primary key
    FOR a IN
        SELECT acc.id, acc.number, acc.kind, acc.status, acc.balance, acc.registry_id, r.code
        FROM registry_account acc JOIN registry_registry r ON r.id = acc.registry_id
        WHERE acc.number IN (p_from, p_to)
        ORDER BY acc.id
        FOR UPDATE OF acc
    LOOP
        IF a.number = p_from THEN
            src_id := a.id; src_kind := a.kind; src_status := a.status; src_balance := a.balance;
            src_reg_id := a.registry_id; src_reg := a.code;
        END IF;
        IF a.number = p_to THEN
            dst_id := a.id; dst_kind := a.kind; dst_status := a.status; dst_balance := a.balance;
            dst_reg := a.code;
        END IF;
    END LOOP;
    IF src_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'JR002', MESSAGE = p_from;
    END IF;

    -- 2. the source's blocks, by primary key
    IF p_quantity IS NULL THEN
        SELECT array_agg(t.blk ORDER BY (t.blk).start) INTO v_rows FROM (
            SELECT blk FROM registry_block blk
            WHERE blk.account_id = src_id
              AND EXISTS (SELECT 1 FROM unnest(p_starts, p_ends) AS r(s, e) WHERE blk.start <= r.e AND blk."end" >= r.s)
            ORDER BY blk.id
            FOR UPDATE OF blk
        ) t;
        v_starts := p_starts;
        v_ends := p_ends;
    ELSE
        -- just enough candidates, oldest vintage first (stable: we hold the source account)
        FOR a IN
            SELECT blk.id, blk.start, blk."end" FROM registry_block blk
            WHERE blk.account_id = src_id AND blk.status = 'held'
            ORDER BY blk.vintage, blk.start
        LOOP
            v_cand := v_cand || a.id;
            v_got := v_got + (a."end" - a.start + 1);
            EXIT WHEN v_got >= p_quantity;
        END LOOP;
        SELECT array_agg(t.blk ORDER BY (t.blk).start) INTO v_rows FROM (
            SELECT blk FROM registry_block blk WHERE blk.id = ANY (v_cand) ORDER BY blk.id FOR UPDATE OF blk
        ) t;
        -- core.ledger.select_oldest_first over the locked rows
        FOR b IN SELECT * FROM unnest(v_rows) x WHERE x.status = 'held' ORDER BY x.vintage, x.start LOOP
            v_avail := v_avail + (b."end" - b.start + 1);
        END LOOP;
        IF v_avail < p_quantity THEN
            RAISE EXCEPTION USING ERRCODE = 'JR003',
                MESSAGE = format('account %s holds %s credits, %s requested', p_from, v_avail, p_quantity);
        END IF;
        v_take := p_quantity;
        FOR b IN SELECT * FROM unnest(v_rows) x WHERE x.status = 'held' ORDER BY x.vintage, x.start LOOP
            v_ps := v_ps || b.start;
            v_pe := v_pe || (b.start + least(v_take, b."end" - b.start + 1) - 1);
            v_take := v_take - least(v_take, b."end" - b.start + 1);
            EXIT WHEN v_take = 0;
        END LOOP;
        -- core.serials.normalise: ascending, adjacent ranges merged
        v_starts := '{}';
        v_ends := '{}';
        FOR a IN SELECT s, e FROM unnest(v_ps, v_pe) AS r(s, e) ORDER BY s LOOP
            v_n := coalesce(array_length(v_starts, 1), 0);
            IF v_n > 0 AND v_ends[v_n] + 1 = a.s THEN
                v_ends[v_n] := a.e;
            ELSE
                v_starts := v_starts || a.s;
                v_ends := v_ends || a.e;
            END IF;
        END LOOP;
    END IF;
    v_rows := coalesce(v_rows, '{}');
    v_n := array_length(v_starts, 1);

    -- 3. core.ledger._transfer: the same checks in the same order
    IF dst_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'JR002', MESSAGE = p_to;
    END IF;
    IF src_reg <> dst_reg THEN
        RAISE EXCEPTION USING ERRCODE = 'JR006', MESSAGE = format(
            'accounts %s (%s) and %s (%s) are in different registries; use an international transfer',
            p_from, src_reg, p_to, dst_reg);
    END IF;
    IF src_id = dst_id THEN
        RAISE EXCEPTION USING ERRCODE = 'JR001', MESSAGE = 'source and destination accounts are the same';
    END IF;
    IF src_kind NOT IN ('government_holding', 'entity_holding') THEN
        RAISE EXCEPTION USING ERRCODE = 'JR005',
            MESSAGE = format('source account %s is a %s account, not a holding account', p_from, src_kind);
    END IF;
    IF dst_kind NOT IN ('government_holding', 'entity_holding') THEN
        RAISE EXCEPTION USING ERRCODE = 'JR005',
            MESSAGE = format('destination account %s is a %s account, not a holding account', p_to, dst_kind);
    END IF;
    IF src_status <> 'open' THEN
        RAISE EXCEPTION USING ERRCODE = 'JR004', MESSAGE = format('source account %s is %s', p_from, src_status);
    END IF;
    IF dst_status <> 'open' THEN
        RAISE EXCEPTION USING ERRCODE = 'JR004', MESSAGE = format('destination account %s is %s', p_to, dst_status);
    END IF;
    -- _check_held: every serial of every range is in a held block of the source
    FOR i IN 1..v_n LOOP
        v_cur := v_starts[i];
        FOR b IN SELECT * FROM unnest(v_rows) x WHERE x.start <= v_ends[i] AND x."end" >= v_starts[i] ORDER BY x.start LOOP
            EXIT WHEN b.start > v_cur;
            EXIT WHEN b.account_id IS DISTINCT FROM src_id OR b.status <> 'held';
            v_cur := b."end" + 1;
            EXIT WHEN v_cur > v_ends[i];
        END LOOP;
        IF v_cur <= v_ends[i] THEN
            RAISE EXCEPTION USING ERRCODE = 'JR007',
                MESSAGE = format('serials %s-%s are not held in account %s', v_cur, v_ends[i], p_from);
        END IF;
    END LOOP;

    -- 4. core.ledger._rewrite: split at the range edges; the lowest piece keeps the row
    FOREACH b IN ARRAY v_rows LOOP
        v_cur := b.start;
        v_first := true;
        FOR i IN 1..v_n LOOP
            v_lo := greatest(b.start, v_starts[i]);
            v_hi := least(b."end", v_ends[i]);
            CONTINUE WHEN v_lo > v_hi;
            IF v_lo > v_cur THEN  -- kept piece [cur, lo - 1]
                IF v_first THEN
                    u_id := u_id || b.id; u_end := u_end || (v_lo - 1); u_acct := u_acct || b.account_id;
                ELSE
                    c_start := c_start || v_cur; c_end := c_end || (v_lo - 1); c_acct := c_acct || b.account_id;
                    c_from := c_from || b.id;
                END IF;
                v_first := false;
            END IF;
            IF v_first THEN      -- moved piece [lo, hi]
                u_id := u_id || b.id; u_end := u_end || v_hi; u_acct := u_acct || dst_id;
            ELSE
                c_start := c_start || v_lo; c_end := c_end || v_hi; c_acct := c_acct || dst_id; c_from := c_from || b.id;
            END IF;
            v_first := false;
            m_start := m_start || v_lo; m_end := m_end || v_hi; m_iss := m_iss || b.issuance_id;
            v_qty := v_qty + (v_hi - v_lo + 1);
            v_cur := v_hi + 1;
        END LOOP;
        IF v_cur <= b."end" AND NOT v_first THEN  -- kept tail [cur, end]
            c_start := c_start || v_cur; c_end := c_end || b."end"; c_acct := c_acct || b.account_id;
            c_from := c_from || b.id;
        END IF;
    END LOOP;

    INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status, authorised,
        purposes, authorisation_id, authorisation_date, first_transfer_trigger, first_transferred,
        first_transfer_date, adjustments)
    SELECT c.s, c.e, o.issuance_id, o.registry_id, o.vintage, c.acct, o.status, o.authorised, o.purposes,
           o.authorisation_id, o.authorisation_date, o.first_transfer_trigger, o.first_transferred,
           o.first_transfer_date, o.adjustments
    FROM unnest(c_start, c_end, c_acct, c_from) AS c(s, e, acct, src)
    JOIN registry_block o ON o.id = c.src
    ORDER BY c.s;
    UPDATE registry_block blk SET "end" = u.e, account_id = u.acct
    FROM unnest(u_id, u_end, u_acct) AS u(id, e, acct)
    WHERE blk.id = u.id AND (blk."end" <> u.e OR blk.account_id IS DISTINCT FROM u.acct);
    UPDATE registry_account SET balance = CASE id WHEN src_id THEN src_balance - v_qty ELSE dst_balance + v_qty END
    WHERE id IN (src_id, dst_id);

    -- 5. transaction, movements, audit event
    SELECT '[' || string_agg('[' || r.s || ',' || r.e || ']', ',' ORDER BY r.s) || ']' INTO v_ranges_text
    FROM unnest(v_starts, v_ends) AS r(s, e);
    v_payload := '{"date":' || jcm_registry_json_string(p_date)
        || ',"from":' || jcm_registry_json_string(p_from)
        || ',"ranges":' || v_ranges_text
        || ',"to":' || jcm_registry_json_string(p_to) || '}';
    INSERT INTO registry_transaction (entry_id, kind, registry_id, from_account_id, to_account_id, to_registry_id,
        quantity, ranges, occurred_at, initiator_id)
    VALUES (NULL, 'transfer', src_reg_id, src_id, dst_id, NULL, v_qty, v_ranges_text::jsonb, p_now, p_actor_id)
    RETURNING id INTO v_tx_id;
    INSERT INTO registry_movement (transaction_id, issuance_id, start, "end")
    SELECT v_tx_id, m.iss, m.s, m.e FROM unnest(m_start, m_end, m_iss) AS m(s, e, iss) ORDER BY m.s;
    INSERT INTO audit_auditevent (at, actor_id, actor_label, action, target_type, target_id, target_label,
        before, after, request_id)
    VALUES (p_now, p_actor_id, p_actor_label, 'registry.transfer', 'registry.transaction', v_tx_id::text,
        p_audit_label, NULL, jsonb_build_object('payload', v_payload::jsonb), p_request_id);

    -- 6. the journal head, last: chain the entry, link the transaction, move the head
    SELECT h.sequence, h.hash INTO v_seq, v_prev FROM registry_journalhead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO registry_journalhead (id, sequence, hash, next_serial) VALUES (1, 0, repeat('0', 64), 1)
        ON CONFLICT (id) DO NOTHING;
        SELECT h.sequence, h.hash INTO v_seq, v_prev FROM registry_journalhead h WHERE h.id = 1 FOR UPDATE;
    END IF;
    v_seq := v_seq + 1;
    v_digest := encode(sha256(convert_to(
        v_prev || '{"kind":"transfer","occurred_at":' || jcm_registry_json_string(p_occurred_at)
             || ',"payload":' || v_payload || ',"sequence":' || v_seq || '}',
        'UTF8')), 'hex');
    INSERT INTO registry_journalentry (sequence, kind, occurred_at, payload, prev_hash, hash)
    VALUES (v_seq, 'transfer', p_occurred_at, v_payload::jsonb, v_prev, v_digest)
    RETURNING id INTO v_entry;
    UPDATE registry_transaction SET entry_id = v_entry WHERE id = v_tx_id;
    UPDATE registry_journalhead SET sequence = v_seq, hash = v_digest WHERE id = 1;

    v_result := jsonb_build_object('operation', 'transfer', 'sequence', v_seq, 'transaction', v_tx_id, 'quantity', v_qty,
        'ranges', v_ranges_text::jsonb, 'details', '{}'::jsonb);
    UPDATE registry_idempotencykey SET result = v_result WHERE key = p_key;
    RETURN v_result;
END
$fn$;
"""

DROP_V1 = """
DROP FUNCTION IF EXISTS jcm_registry_transfer(text, text, text, text, bigint[], bigint[], bigint, timestamptz, text,
    text, bigint, text, text, text);
DROP FUNCTION IF EXISTS jcm_registry_json_string(text);
"""
