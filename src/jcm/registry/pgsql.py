"""SQL of the PostgreSQL fast path (see ``fastpath.py``), installed by migrations.

The texts are versioned: a migration installs one version and is never edited afterwards. To change
a function, add ``..._V2`` here and a new migration that installs it (``CREATE OR REPLACE``; a new
signature is a new function, so that migration drops the old one). V2 (migration 0006) adds the
actor's idempotency scope as the first parameter.

``jcm_registry_json_string(text)``
    a JSON string literal exactly as ``core.journal.canonical_json`` writes it (Python's ``json``
    with ``ensure_ascii=False``: ``"`` and ``\\`` escaped, ``\\b \\f \\n \\r \\t`` for those
    control characters, ``\\u00xx`` (lower-case hex) for the other ones below U+0020, everything
    else verbatim). PostgreSQL's own escaping of a JSON string (``to_json(text)``) is exactly that;
    a test checks it byte for byte against the Python serialiser.

``jcm_registry_transfer(...)``
    one ``services.transfer`` in one statement: the same idempotency key, locks (accounts, then
    blocks, by primary key; the journal head last), checks in the same order, deterministic split,
    rows, audit event and hash-chained journal entry as the Python service. Refusals raise SQLSTATE
    ``JR0xx`` (see ``fastpath.ERRORS``) with the service's message; the Python wrapper re-raises
    the same ``LedgerError``. Returns the stored result as jsonb, or ``{"replay": {...}}`` when the
    key already exists (the wrapper answers as ``_idempotent`` does).
"""

from dataclasses import dataclass

JSON_STRING_V1 = r"""
CREATE OR REPLACE FUNCTION jcm_registry_json_string(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN to_json(s)::text;
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
    p_audit_label text,
    p_own_transaction boolean  -- true: this statement is the whole transaction (autocommit)
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE
-- Every statement here reads or writes a few rows by key. Plan once per session, and never by a
-- sequential scan: a plan made while a table is small must stay right as it grows.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $fn$
DECLARE
    existing record;
    a record;
    b registry_block;
    src_id bigint; src_kind text; src_status text; src_balance bigint; src_reg_id bigint; src_reg text;
    dst_id bigint; dst_kind text; dst_status text; dst_balance bigint; dst_reg text;
    v_cand bigint[] := '{}';
    v_chunk int := 16;
    v_offset int := 0;
    v_batch int;
    v_rows registry_block[];        -- the locked source blocks, by start serial
    v_oldest registry_block[];      -- the same, oldest vintage first
    v_starts bigint[];
    v_ends bigint[];
    v_got bigint := 0;
    v_avail bigint := 0;
    v_take bigint;
    v_n int;
    i int;
    j int;
    v_s bigint;
    v_e bigint;
    v_cur bigint;
    v_lo bigint;
    v_hi bigint;
    v_qty bigint := 0;
    v_first boolean;
    v_whole bigint[] := '{}';       -- blocks that move whole
    -- movements (start, end, issuance)
    m_start bigint[] := '{}'; m_end bigint[] := '{}'; m_iss bigint[] := '{}';
    v_ranges text;
    v_payload text;
    v_tx bigint;
    v_seq bigint;
    v_prev text;
    v_hash text;
    v_result jsonb;
BEGIN
    IF p_own_transaction THEN
        -- Check foreign keys as each statement ends rather than at commit, while the journal head is
        -- locked (Django declares them DEFERRABLE INITIALLY DEFERRED). Only for our own transaction:
        -- a caller's transaction keeps its constraint mode.
        SET CONSTRAINTS ALL IMMEDIATE;
    END IF;
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
        v_rows := coalesce(v_rows, '{}');
        v_starts := p_starts;
        v_ends := p_ends;
    ELSE
        -- just enough candidates, oldest vintage first (stable: we hold the source account)
        -- (in chunks, so that the plan walks the holding index in order instead of sorting them all)
        LOOP
            v_batch := 0;
            FOR a IN
                SELECT blk.id, blk.start, blk."end" FROM registry_block blk
                WHERE blk.account_id = src_id AND blk.status = 'held'
                ORDER BY blk.vintage, blk.start
                LIMIT v_chunk OFFSET v_offset
            LOOP
                v_batch := v_batch + 1;
                v_cand := v_cand || a.id;
                v_got := v_got + (a."end" - a.start + 1);
                EXIT WHEN v_got >= p_quantity;
            END LOOP;
            EXIT WHEN v_got >= p_quantity OR v_batch < v_chunk;
            v_offset := v_offset + v_chunk;
        END LOOP;
        SELECT array_agg(t.blk ORDER BY (t.blk).start),
               array_agg(t.blk ORDER BY (t.blk).vintage, (t.blk).start) FILTER (WHERE (t.blk).status = 'held' AND (t.blk).account_id = src_id)
        INTO v_rows, v_oldest FROM (
            SELECT blk FROM registry_block blk WHERE blk.id = ANY (v_cand) ORDER BY blk.id FOR UPDATE OF blk
        ) t;
        v_rows := coalesce(v_rows, '{}');
        v_oldest := coalesce(v_oldest, '{}');
        -- core.ledger.select_oldest_first over the locked rows
        FOREACH b IN ARRAY v_oldest LOOP
            v_avail := v_avail + (b."end" - b.start + 1);
        END LOOP;
        IF v_avail < p_quantity THEN
            RAISE EXCEPTION USING ERRCODE = 'JR003',
                MESSAGE = format('account %s holds %s credits, %s requested', p_from, v_avail, p_quantity);
        END IF;
        -- take the head of each block until the quantity is reached, then core.serials.normalise
        -- (ascending, adjacent ranges merged): insert each piece in order, merging with neighbours
        v_starts := '{}';
        v_ends := '{}';
        v_take := p_quantity;
        FOREACH b IN ARRAY v_oldest LOOP
            v_s := b.start;
            v_e := b.start + least(v_take, b."end" - b.start + 1) - 1;
            v_take := v_take - (v_e - v_s + 1);
            v_n := coalesce(array_length(v_starts, 1), 0);
            i := 1;
            WHILE i <= v_n AND v_starts[i] < v_s LOOP
                i := i + 1;
            END LOOP;
            v_starts := v_starts[1:i - 1] || v_s || v_starts[i:v_n];
            v_ends := v_ends[1:i - 1] || v_e || v_ends[i:v_n];
            EXIT WHEN v_take = 0;
        END LOOP;
        v_n := array_length(v_starts, 1);
        i := 1;
        FOR j IN 2..v_n LOOP
            IF v_ends[i] + 1 = v_starts[j] THEN
                v_ends[i] := v_ends[j];
            ELSE
                i := i + 1;
                v_starts[i] := v_starts[j];
                v_ends[i] := v_ends[j];
            END IF;
        END LOOP;
        v_starts := v_starts[1:i];
        v_ends := v_ends[1:i];
    END IF;
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
        FOREACH b IN ARRAY v_rows LOOP
            CONTINUE WHEN b."end" < v_starts[i];
            EXIT WHEN b.start > v_ends[i];
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

    -- 4. core.ledger._rewrite: split at the range edges; the lowest piece keeps the row, the other
    --    pieces are new rows (created in ascending serial order, as the Python service does)
    FOREACH b IN ARRAY v_rows LOOP
        v_cur := b.start;
        v_first := true;
        FOR i IN 1..v_n LOOP
            v_lo := greatest(b.start, v_starts[i]);
            v_hi := least(b."end", v_ends[i]);
            CONTINUE WHEN v_lo > v_hi;
            IF v_lo > v_cur THEN  -- kept piece [cur, lo - 1]
                IF v_first THEN
                    UPDATE registry_block SET "end" = v_lo - 1 WHERE id = b.id;
                ELSE
                    INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status,
                        authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
                        first_transferred, first_transfer_date, adjustments)
                    VALUES (v_cur, v_lo - 1, b.issuance_id, b.registry_id, b.vintage, b.account_id, b.status,
                        b.authorised, b.purposes, b.authorisation_id, b.authorisation_date, b.first_transfer_trigger,
                        b.first_transferred, b.first_transfer_date, b.adjustments);
                END IF;
                v_first := false;
            END IF;
            IF NOT v_first THEN  -- moved piece [lo, hi] as a new row
                INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status,
                    authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
                    first_transferred, first_transfer_date, adjustments)
                VALUES (v_lo, v_hi, b.issuance_id, b.registry_id, b.vintage, dst_id, b.status,
                    b.authorised, b.purposes, b.authorisation_id, b.authorisation_date, b.first_transfer_trigger,
                    b.first_transferred, b.first_transfer_date, b.adjustments);
            ELSIF v_hi <> b."end" THEN  -- moved piece keeps the row, the rest follows
                UPDATE registry_block SET "end" = v_hi, account_id = dst_id WHERE id = b.id;
            ELSE  -- the whole block moves
                v_whole := v_whole || b.id;
            END IF;
            v_first := false;
            m_start := m_start || v_lo; m_end := m_end || v_hi; m_iss := m_iss || b.issuance_id;
            v_qty := v_qty + (v_hi - v_lo + 1);
            v_cur := v_hi + 1;
        END LOOP;
        IF v_cur <= b."end" AND NOT v_first THEN  -- kept tail [cur, end]
            INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status,
                authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
                first_transferred, first_transfer_date, adjustments)
            VALUES (v_cur, b."end", b.issuance_id, b.registry_id, b.vintage, b.account_id, b.status,
                b.authorised, b.purposes, b.authorisation_id, b.authorisation_date, b.first_transfer_trigger,
                b.first_transferred, b.first_transfer_date, b.adjustments);
        END IF;
    END LOOP;
    IF v_whole <> '{}' THEN
        UPDATE registry_block SET account_id = dst_id WHERE id = ANY (v_whole);
    END IF;
    UPDATE registry_account SET balance = CASE id WHEN src_id THEN src_balance - v_qty ELSE dst_balance + v_qty END
    WHERE id IN (src_id, dst_id);

    -- 5. transaction, movements, audit event
    v_ranges := '[';
    FOR i IN 1..v_n LOOP
        v_ranges := v_ranges || CASE WHEN i > 1 THEN ',[' ELSE '[' END || v_starts[i] || ',' || v_ends[i] || ']';
    END LOOP;
    v_ranges := v_ranges || ']';
    v_payload := '{"date":' || to_json(p_date)::text
        || ',"from":' || to_json(p_from)::text
        || ',"ranges":' || v_ranges
        || ',"to":' || to_json(p_to)::text || '}';
    WITH t AS (
        INSERT INTO registry_transaction (entry_id, kind, registry_id, from_account_id, to_account_id,
            to_registry_id, quantity, ranges, occurred_at, initiator_id)
        VALUES (NULL, 'transfer', src_reg_id, src_id, dst_id, NULL, v_qty, v_ranges::jsonb, p_now, p_actor_id)
        RETURNING id
    ),
    m AS (
        INSERT INTO registry_movement (transaction_id, issuance_id, start, "end")
        SELECT t.id, p.iss, p.s, p.e FROM t, unnest(m_start, m_end, m_iss) AS p(s, e, iss) ORDER BY p.s
    ),
    e AS (
        INSERT INTO audit_auditevent (at, actor_id, actor_label, action, target_type, target_id, target_label,
            before, after, request_id)
        SELECT p_now, p_actor_id, p_actor_label, 'registry.transfer', 'registry.transaction', t.id::text,
            p_audit_label, NULL, ('{"payload":' || v_payload || '}')::jsonb, p_request_id
        FROM t
    )
    SELECT t.id INTO v_tx FROM t;

    -- 6. the journal head, last: chain the entry, link the transaction, move the head
    SELECT h.sequence, h.hash INTO v_seq, v_prev FROM registry_journalhead h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO registry_journalhead (id, sequence, hash, next_serial) VALUES (1, 0, repeat('0', 64), 1)
        ON CONFLICT (id) DO NOTHING;
        SELECT h.sequence, h.hash INTO v_seq, v_prev FROM registry_journalhead h WHERE h.id = 1 FOR UPDATE;
    END IF;
    v_seq := v_seq + 1;
    v_hash := encode(sha256(convert_to(
        v_prev || '{"kind":"transfer","occurred_at":' || to_json(p_occurred_at)::text
               || ',"payload":' || v_payload || ',"sequence":' || v_seq || '}',
        'UTF8')), 'hex');
    v_result := jsonb_build_object('operation', 'transfer', 'sequence', v_seq, 'transaction', v_tx,
        'quantity', v_qty, 'ranges', v_ranges::jsonb, 'details', '{}'::jsonb);
    WITH e AS (
        INSERT INTO registry_journalentry (sequence, kind, occurred_at, payload, prev_hash, hash)
        VALUES (v_seq, 'transfer', p_occurred_at, v_payload::jsonb, v_prev, v_hash)
        RETURNING id
    ),
    t AS (UPDATE registry_transaction SET entry_id = (SELECT e.id FROM e) WHERE id = v_tx),
    k AS (UPDATE registry_idempotencykey SET result = v_result WHERE key = p_key)
    UPDATE registry_journalhead SET sequence = v_seq, hash = v_hash WHERE id = 1;
    RETURN v_result;
END
$fn$;
"""

DROP_V1 = """
DROP FUNCTION IF EXISTS jcm_registry_transfer(text, text, text, text, bigint[], bigint[], bigint, timestamptz, text,
    text, bigint, text, text, text, boolean);
DROP FUNCTION IF EXISTS jcm_registry_json_string(text);
"""


# -- V2: idempotency keys scoped per actor (``registry_idempotencykey.scope``; see services._scope) ----
def _v2(text: str) -> str:
    for old, new in (
        ("    p_key text,\n", "    p_scope text,           -- the actor's idempotency scope\n    p_key text,\n"),
        ("INSERT INTO registry_idempotencykey (key, operation, request_hash, result, created_at)\n"
         "    VALUES (p_key, 'transfer', p_request_hash, '{}'::jsonb, p_now)\n"
         "    ON CONFLICT (key) DO NOTHING;",
         "INSERT INTO registry_idempotencykey (scope, key, operation, request_hash, result, created_at)\n"
         "    VALUES (p_scope, p_key, 'transfer', p_request_hash, '{}'::jsonb, p_now)\n"
         "    ON CONFLICT (scope, key) DO NOTHING;"),
        ("FROM registry_idempotencykey k WHERE k.key = p_key;",
         "FROM registry_idempotencykey k\n        WHERE k.scope = p_scope AND k.key = p_key;"),
        ("k AS (UPDATE registry_idempotencykey SET result = v_result WHERE key = p_key)",
         "k AS (UPDATE registry_idempotencykey SET result = v_result WHERE scope = p_scope AND key = p_key)"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


TRANSFER_V2 = _v2(TRANSFER_V1)

DROP_TRANSFER_V1 = """
DROP FUNCTION IF EXISTS jcm_registry_transfer(text, text, text, text, bigint[], bigint[], bigint, timestamptz, text,
    text, bigint, text, text, text, boolean);
"""

DROP_TRANSFER_V2 = """
DROP FUNCTION IF EXISTS jcm_registry_transfer(text, text, text, text, text, bigint[], bigint[], bigint, timestamptz,
    text, text, bigint, text, text, text, boolean);
"""


# -- V3: the audit event is written with the journal entry, labelled with its sequence -----------------
# ("transfer #<sequence>", as the public pages number transactions; V2 wrote it before the entry
# existed and labelled it "transfer #None"). ``p_audit_label`` is now the label's prefix. Same
# signature as V2: installed with CREATE OR REPLACE.
def _v3(text: str) -> str:
    for old, new in (
        ("""    ),
    e AS (
        INSERT INTO audit_auditevent (at, actor_id, actor_label, action, target_type, target_id, target_label,
            before, after, request_id)
        SELECT p_now, p_actor_id, p_actor_label, 'registry.transfer', 'registry.transaction', t.id::text,
            p_audit_label, NULL, ('{"payload":' || v_payload || '}')::jsonb, p_request_id
        FROM t
    )
    SELECT t.id INTO v_tx FROM t;""", """    )
    SELECT t.id INTO v_tx FROM t;"""),
        ("""    k AS (UPDATE registry_idempotencykey SET result = v_result WHERE scope = p_scope AND key = p_key)
""", """    k AS (UPDATE registry_idempotencykey SET result = v_result WHERE scope = p_scope AND key = p_key),
    a AS (
        INSERT INTO audit_auditevent (at, actor_id, actor_label, action, target_type, target_id, target_label,
            before, after, request_id)
        VALUES (p_now, p_actor_id, p_actor_label, 'registry.transfer', 'registry.transaction', v_tx::text,
            p_audit_label || v_seq, NULL, ('{"payload":' || v_payload || '}')::jsonb, p_request_id)
    )
"""),
        ("-- 5. transaction, movements, audit event", "-- 5. transaction, movements"),
        ("-- 6. the journal head, last: chain the entry, link the transaction, move the head",
         "-- 6. the journal head, last: chain the entry, link the transaction, audit event, move the head"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


TRANSFER_V3 = _v3(TRANSFER_V2)


# -- V4: less written per transfer (migration 0010; same signature as V3, CREATE OR REPLACE) -----------
# * The transaction row is inserted already linked to its journal entry: the entry's id is taken from
#   its sequence before the journal head is locked, so no second write of the transaction row (V3
#   updated it, a new row version with all its index entries, while holding the head).
# * The ledger references have no foreign-key constraints any more (``integrity.ledger_references()``, migration
#   0009). The remaining ones (the entry link, the initiator, the audit actor) are checked at the end of
#   the function, once the entry exists (SET CONSTRAINTS ALL IMMEDIATE fires the pending checks), and
#   not at commit: there they would be planned outside this function's settings, and a plan made
#   while the journal was small is a sequential scan of it (measured: 260 us a check at 10,000 entries).
# * Accounts are read without joining their registry; the registries' codes are read only to word the
#   wrong-registry refusal.
@dataclass(frozen=True)
class _Span:
    """The lines from the one starting with ``first`` to the one ending with ``last`` (each once)."""

    first: str
    last: str

    def find(self, text: str) -> str:
        assert text.count(self.first) == 1 and text.count(self.last) == 1, self
        start = text.index(self.first)
        return text[start : text.index(self.last, start) + len(self.last)]


def _v4(text: str) -> str:
    for old, new in (
        # Accounts locked FOR NO KEY UPDATE, as locks.lock_accounts does (what the balance update takes
        # anyway; rows that refer to the account do not wait for it).
        ("        FOR UPDATE OF acc\n", "        FOR NO KEY UPDATE OF acc\n"),
        ("""    IF p_own_transaction THEN
        -- Check foreign keys as each statement ends rather than at commit, while the journal head is
        -- locked (Django declares them DEFERRABLE INITIALLY DEFERRED). Only for our own transaction:
        -- a caller's transaction keeps its constraint mode.
        SET CONSTRAINTS ALL IMMEDIATE;
    END IF;
""", ""),
        ("""        SELECT acc.id, acc.number, acc.kind, acc.status, acc.balance, acc.registry_id, r.code
        FROM registry_account acc JOIN registry_registry r ON r.id = acc.registry_id
        WHERE""", """        SELECT acc.id, acc.number, acc.kind, acc.status, acc.balance, acc.registry_id
        FROM registry_account acc
        WHERE"""),
        ("            src_reg_id := a.registry_id; src_reg := a.code;", "            src_reg_id := a.registry_id;"),
        ("            dst_reg := a.code;", "            dst_reg_id := a.registry_id;"),
        ("dst_id bigint; dst_kind text; dst_status text; dst_balance bigint; dst_reg text;",
         "dst_id bigint; dst_kind text; dst_status text; dst_balance bigint; dst_reg text; dst_reg_id bigint;\n"
         "    v_entry bigint;                 -- the journal entry's id, taken before the head is locked"),
        ("""    IF src_reg <> dst_reg THEN
        RAISE""", """    IF src_reg_id <> dst_reg_id THEN
        SELECT r.code INTO src_reg FROM registry_registry r WHERE r.id = src_reg_id;
        SELECT r.code INTO dst_reg FROM registry_registry r WHERE r.id = dst_reg_id;
        RAISE"""),
        ("""    WITH t AS (
        INSERT INTO registry_transaction (entry_id, kind, registry_id, from_account_id, to_account_id,
            to_registry_id, quantity, ranges, occurred_at, initiator_id)
        VALUES (NULL,""", """    v_entry := nextval('registry_journalentry_id_seq');
    WITH t AS (
        INSERT INTO registry_transaction (entry_id, kind, registry_id, from_account_id, to_account_id,
            to_registry_id, quantity, ranges, occurred_at, initiator_id)
        VALUES (v_entry,"""),
        ("""        INSERT INTO registry_journalentry (sequence, kind, occurred_at, payload, prev_hash, hash)
        VALUES (v_seq, 'transfer', p_occurred_at, v_payload::jsonb, v_prev, v_hash)
        RETURNING id
    ),
    t AS (UPDATE registry_transaction SET entry_id = (SELECT e.id FROM e) WHERE id = v_tx),
""", """        INSERT INTO registry_journalentry (id, sequence, kind, occurred_at, payload, prev_hash, hash)
        VALUES (v_entry, v_seq, 'transfer', p_occurred_at, v_payload::jsonb, v_prev, v_hash)
    ),
"""),
        ("""    UPDATE registry_journalhead SET sequence = v_seq, hash = v_hash WHERE id = 1;
    RETURN v_result;""", """    UPDATE registry_journalhead SET sequence = v_seq, hash = v_hash WHERE id = 1;
    IF p_own_transaction THEN
        -- the deferred foreign-key checks, now, with this function's plan settings (a caller's
        -- transaction keeps its constraint mode)
        SET CONSTRAINTS ALL IMMEDIATE;
    END IF;
    RETURN v_result;"""),
        # Oldest vintage first, the candidates: one statement per chunk (a running sum says which
        # blocks are needed) instead of a cursor loop; then the locked rows come back already in
        # vintage order with their total (the rows by start are only needed for serial ranges).
        # (the span from the first to the last line quoted below: the cursor loop and the locking
        # statement of V1, not repeated here)
        (_Span("        LOOP\n            v_batch := 0;\n",
               "            v_avail := v_avail + (b.\"end\" - b.start + 1);\n        END LOOP;"),
         """        LOOP
            SELECT array_agg(c.id ORDER BY c.upto) FILTER (WHERE c.upto - c.size < p_quantity - v_got),
                   coalesce(sum(c.size) FILTER (WHERE c.upto - c.size < p_quantity - v_got), 0),
                   count(*)
            INTO v_ids, v_sum, v_batch
            FROM (
                SELECT blk.id, blk."end" - blk.start + 1 AS size,
                       sum(blk."end" - blk.start + 1) OVER (ORDER BY blk.vintage, blk.start ROWS UNBOUNDED PRECEDING) AS upto
                FROM registry_block blk
                WHERE blk.account_id = src_id AND blk.status = 'held'
                ORDER BY blk.vintage, blk.start
                LIMIT v_chunk OFFSET v_offset
            ) c;
            v_cand := v_cand || coalesce(v_ids, '{}');
            v_got := v_got + v_sum;
            EXIT WHEN v_got >= p_quantity OR v_batch < v_chunk;
            v_offset := v_offset + v_chunk;
        END LOOP;
        -- core.ledger.select_oldest_first over the locked rows
        SELECT coalesce(array_agg(t.blk ORDER BY (t.blk).vintage, (t.blk).start), '{}'),
               coalesce(sum((t.blk)."end" - (t.blk).start + 1), 0)
        INTO v_oldest, v_avail FROM (
            SELECT blk FROM registry_block blk WHERE blk.id = ANY (v_cand) ORDER BY blk.id FOR UPDATE OF blk
        ) t
        WHERE (t.blk).status = 'held' AND (t.blk).account_id = src_id;
        v_rows := '{}';"""),
        ("""    v_entry bigint;                 -- the journal entry's id, taken before the head is locked""",
         """    v_entry bigint;                 -- the journal entry's id, taken before the head is locked
    v_ids bigint[];
    v_sum bigint;"""),
        # Oldest vintage first: the ranges are cut from the source's own held blocks, so the held
        # check cannot fail and is skipped, and each block gives exactly one piece (its head) --
        # one pass over the blocks instead of blocks x ranges. The rows written are the same.
        ("""            v_n := coalesce(array_length(v_starts, 1), 0);
            i := 1;
            WHILE i <= v_n AND v_starts[i] < v_s LOOP
                i := i + 1;
            END LOOP;
            v_starts := v_starts[1:i - 1] || v_s || v_starts[i:v_n];
            v_ends := v_ends[1:i - 1] || v_e || v_ends[i:v_n];""", """            v_n := coalesce(array_length(v_starts, 1), 0);
            IF v_n = 0 OR v_starts[v_n] < v_s THEN  -- in order (one vintage): append
                v_starts := v_starts || v_s;
                v_ends := v_ends || v_e;
            ELSE
                i := 1;
                WHILE i <= v_n AND v_starts[i] < v_s LOOP
                    i := i + 1;
                END LOOP;
                v_starts := v_starts[1:i - 1] || v_s || v_starts[i:v_n];
                v_ends := v_ends[1:i - 1] || v_e || v_ends[i:v_n];
            END IF;"""),
        ("""    -- _check_held: every serial of every range is in a held block of the source
    FOR i IN 1..v_n LOOP""", """    -- _check_held: every serial of every range is in a held block of the source (by construction when
    -- the ranges were chosen oldest vintage first)
    FOR i IN 1..CASE WHEN p_quantity IS NULL THEN v_n ELSE 0 END LOOP"""),
        ("""    -- 4. core.ledger._rewrite: split at the range edges; the lowest piece keeps the row, the other
    --    pieces are new rows (created in ascending serial order, as the Python service does)
    FOREACH b IN ARRAY v_rows LOOP""", """    -- 4. core.ledger._rewrite: split at the range edges; the lowest piece keeps the row, the other
    --    pieces are new rows (created in ascending serial order, as the Python service does).
    --    Oldest vintage first, each block gives its head: whole, or the head keeps the row (moved)
    --    and the tail is a new row (kept).
    v_take := coalesce(p_quantity, 0);
    FOREACH b IN ARRAY CASE WHEN p_quantity IS NULL THEN '{}'::registry_block[] ELSE v_oldest END LOOP
        EXIT WHEN v_take = 0;
        v_hi := b.start + least(v_take, b."end" - b.start + 1) - 1;
        IF v_hi = b."end" THEN
            v_whole := v_whole || b.id;
        ELSE
            UPDATE registry_block SET "end" = v_hi, account_id = dst_id WHERE id = b.id;
            INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status,
                authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
                first_transferred, first_transfer_date, adjustments)
            VALUES (v_hi + 1, b."end", b.issuance_id, b.registry_id, b.vintage, b.account_id, b.status,
                b.authorised, b.purposes, b.authorisation_id, b.authorisation_date, b.first_transfer_trigger,
                b.first_transferred, b.first_transfer_date, b.adjustments);
        END IF;
        m_start := m_start || b.start; m_end := m_end || v_hi; m_iss := m_iss || b.issuance_id;
        v_qty := v_qty + (v_hi - b.start + 1);
        v_take := v_take - (v_hi - b.start + 1);
    END LOOP;
    FOREACH b IN ARRAY CASE WHEN p_quantity IS NULL THEN v_rows ELSE '{}'::registry_block[] END LOOP"""),
        ("-- 6. the journal head, last: chain the entry, link the transaction, audit event, move the head",
         "-- 6. the journal head, last: chain the entry (its id is the transaction's link), audit event,\n"
         "    --    move the head"),
    ):
        if isinstance(old, _Span):
            old = old.find(text)
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _keyed_by_start(text: str) -> str:
    """Blocks are keyed by their first serial (migration 0013): lock, find and update them by it.
    Movements: one row per contiguous run of one issuance's serials (pieces of adjacent blocks merge),
    as ``services._common._movements`` writes them."""
    for old, new, count in (
        ("""        SELECT t.id, p.iss, p.s, p.e FROM t, unnest(m_start, m_end, m_iss) AS p(s, e, iss) ORDER BY p.s
""", """        SELECT t.id, g.iss, min(g.s), max(g.e) FROM t, (
            SELECT x.s, x.e, x.iss, sum(x.brk) OVER (ORDER BY x.s) AS grp FROM (
                SELECT p.s, p.e, p.iss,
                       CASE WHEN lag(p.e) OVER w + 1 = p.s AND lag(p.iss) OVER w = p.iss THEN 0 ELSE 1 END AS brk
                FROM unnest(m_start, m_end, m_iss) AS p(s, e, iss) WINDOW w AS (ORDER BY p.s)
            ) x
        ) g
        GROUP BY t.id, g.grp, g.iss ORDER BY min(g.s)
""", 1),
        ("ORDER BY blk.id", "ORDER BY blk.start", 2),
        ('SELECT blk.id, blk."end" - blk.start + 1 AS size,', 'SELECT blk.start AS id, blk."end" - blk.start + 1 AS size,', 1),
        ("WHERE blk.id = ANY (v_cand)", "WHERE blk.start = ANY (v_cand)", 1),
        ("v_whole := v_whole || b.id;", "v_whole := v_whole || b.start;", 2),
        ("WHERE id = b.id;", "WHERE start = b.start;", 3),
        ("WHERE id = ANY (v_whole);", "WHERE start = ANY (v_whole);", 1),
    ):
        assert text.count(old) == count, old
        text = text.replace(old, new)
    return text


TRANSFER_V4 = _keyed_by_start(_v4(TRANSFER_V3))

# Ledger parents are never deleted: the ledger references them without foreign-key constraints
# (``integrity.ledger_references()``), and a registry's accounts, issuances and transactions are permanent
# public records (accounts are closed, not deleted). TRUNCATE (test databases) is not affected.
PARENT_GUARD_V1 = """
CREATE OR REPLACE FUNCTION jcm_registry_refuse_delete() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'JR010',
        MESSAGE = format('%s rows are permanent ledger records and are never deleted', TG_TABLE_NAME);
END
$fn$;
CREATE TRIGGER registry_registry_never_deleted BEFORE DELETE ON registry_registry
    FOR EACH ROW EXECUTE FUNCTION jcm_registry_refuse_delete();
CREATE TRIGGER registry_account_never_deleted BEFORE DELETE ON registry_account
    FOR EACH ROW EXECUTE FUNCTION jcm_registry_refuse_delete();
CREATE TRIGGER registry_issuance_never_deleted BEFORE DELETE ON registry_issuance
    FOR EACH ROW EXECUTE FUNCTION jcm_registry_refuse_delete();
CREATE TRIGGER registry_transaction_never_deleted BEFORE DELETE ON registry_transaction
    FOR EACH ROW EXECUTE FUNCTION jcm_registry_refuse_delete();
"""

DROP_PARENT_GUARD_V1 = """
DROP TRIGGER IF EXISTS registry_registry_never_deleted ON registry_registry;
DROP TRIGGER IF EXISTS registry_account_never_deleted ON registry_account;
DROP TRIGGER IF EXISTS registry_issuance_never_deleted ON registry_issuance;
DROP TRIGGER IF EXISTS registry_transaction_never_deleted ON registry_transaction;
DROP FUNCTION IF EXISTS jcm_registry_refuse_delete();
"""


# -- V5: oldest vintage first, from the fewest blocks (migration 0014; same signature, CREATE OR REPLACE)
# ``core.builders.select_oldest_first`` changed: within a vintage it takes the smallest block that
# holds all that is left, else the largest block whole, and again. One index probe per block taken
# (``registry_block_pick`` orders an account's held blocks by vintage, size and start) instead
# of a running sum over the blocks in serial order. The blocks are chosen from unlocked reads, then
# locked by start serial (the order every other writer locks blocks in) and checked unchanged: we
# hold the source account, so only a corresponding adjustment can have split one meanwhile, and then
# they are chosen again.
def _v5(text: str) -> str:
    for old, new in (
        (
            _Span(
                "        -- just enough candidates, oldest vintage first (stable: we hold the source account)\n",
                "                MESSAGE = format('account %s holds %s credits, %s requested', p_from, v_avail, p_quantity);\n"
                "        END IF;",
            ),
            """        -- core.builders.select_oldest_first, over the source's blocks as they are: we hold the
        -- source account's lock, and every change to a block is made under its holder's lock
        -- (locks.py), so they cannot change until we commit; the update below locks the rows it
        -- writes. The balance counts every block of the account, held or not: below the quantity,
        -- the request is refused without looking at the blocks.
        v_take := p_quantity;
        WHILE v_take > 0 AND src_balance >= p_quantity LOOP
            -- the smallest block of the oldest vintage left that holds all that is left ...
            SELECT blk.* INTO b FROM registry_block blk
            WHERE blk.account_id = src_id AND blk.status = 'held'
              AND blk.vintage = (SELECT min(x.vintage) FROM registry_block x
                                 WHERE x.account_id = src_id AND x.status = 'held' AND x.start <> ALL (v_taken))
              AND blk."end" - blk.start >= v_take - 1 AND blk.start <> ALL (v_taken)
            ORDER BY blk."end" - blk.start, blk.start
            LIMIT 1;
            IF NOT FOUND THEN  -- ... or else that vintage's largest block, whole
                SELECT blk.* INTO b FROM registry_block blk
                WHERE blk.account_id = src_id AND blk.status = 'held'
                  AND blk.vintage = (SELECT min(x.vintage) FROM registry_block x
                                     WHERE x.account_id = src_id AND x.status = 'held' AND x.start <> ALL (v_taken))
                  AND blk.start <> ALL (v_taken)
                ORDER BY blk."end" - blk.start DESC, blk.start
                LIMIT 1;
                EXIT WHEN NOT FOUND;  -- nothing held left
            END IF;
            v_taken := v_taken || b.start;
            v_oldest := v_oldest || b;
            v_take := v_take - least(v_take, b."end" - b.start + 1);
        END LOOP;
        IF v_take > 0 THEN
            SELECT coalesce(sum(blk."end" - blk.start + 1), 0) INTO v_avail FROM registry_block blk
            WHERE blk.account_id = src_id AND blk.status = 'held';
            RAISE EXCEPTION USING ERRCODE = 'JR003',
                MESSAGE = format('account %s holds %s credits, %s requested', p_from, v_avail, p_quantity);
        END IF;
        v_rows := '{}';""",
        ),
        (
            """    v_ids bigint[];
    v_sum bigint;
    v_cand bigint[] := '{}';
    v_chunk int := 16;
    v_offset int := 0;
    v_batch int;
""",
            """    v_taken bigint[] := '{}';       -- start serials of the blocks chosen, in the order chosen
""",
        ),
        (
            "    v_oldest registry_block[];      -- the same, oldest vintage first\n",
            "    v_oldest registry_block[] := '{}';  -- oldest vintage first: the blocks chosen, in that order\n",
        ),
        ("    v_got bigint := 0;\n", ""),
        # The block rows, the balances, the transaction and its movements in one statement (oldest
        # vintage first, each chosen block moves its head or all of it, and a kept tail is a new row;
        # with serial ranges, the whole blocks), instead of a statement per block and per table.
        ("""        IF v_hi = b."end" THEN
            v_whole := v_whole || b.start;
        ELSE
            UPDATE registry_block SET "end" = v_hi, account_id = dst_id WHERE start = b.start;
            INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status,
                authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
                first_transferred, first_transfer_date, adjustments)
            VALUES (v_hi + 1, b."end", b.issuance_id, b.registry_id, b.vintage, b.account_id, b.status,
                b.authorised, b.purposes, b.authorisation_id, b.authorisation_date, b.first_transfer_trigger,
                b.first_transferred, b.first_transfer_date, b.adjustments);
        END IF;
""", """        w_start := w_start || b.start; w_end := w_end || v_hi;  -- the row moves: its head, or all of it
        IF v_hi <> b."end" THEN  -- the kept tail, a new row
            r_start := r_start || (v_hi + 1); r_from := r_from || b.start;
        END IF;
"""),
        ("""            ELSE  -- the whole block moves
                v_whole := v_whole || b.start;""", """            ELSE  -- the whole block moves
                w_start := w_start || b.start; w_end := w_end || b."end";"""),
        ("""    IF v_whole <> '{}' THEN
        UPDATE registry_block SET account_id = dst_id WHERE start = ANY (v_whole);
    END IF;
    UPDATE registry_account SET balance = CASE id WHEN src_id THEN src_balance - v_qty ELSE dst_balance + v_qty END
    WHERE id IN (src_id, dst_id);
""", ""),
        ("""    v_entry := nextval('registry_journalentry_id_seq');
    WITH t AS (""", """    v_entry := nextval('registry_journalentry_id_seq');
    WITH w AS (
        UPDATE registry_block blk SET "end" = p.e, account_id = dst_id
        FROM unnest(w_start, w_end) AS p(s, e) WHERE blk.start = p.s
    ),
    r AS (
        INSERT INTO registry_block (start, "end", issuance_id, registry_id, vintage, account_id, status,
            authorised, purposes, authorisation_id, authorisation_date, first_transfer_trigger,
            first_transferred, first_transfer_date, adjustments)
        SELECT p.s, o."end", o.issuance_id, o.registry_id, o.vintage, o.account_id, o.status,
            o.authorised, o.purposes, o.authorisation_id, o.authorisation_date, o.first_transfer_trigger,
            o.first_transferred, o.first_transfer_date, o.adjustments
        FROM unnest(r_start, r_from) AS p(s, f) JOIN unnest(v_oldest) AS o ON o.start = p.f
    ),
    bal AS (
        UPDATE registry_account SET balance = CASE id WHEN src_id THEN src_balance - v_qty ELSE dst_balance + v_qty END
        WHERE id IN (src_id, dst_id)
    ),
    t AS ("""),
        # No deferred foreign-key check is left that needs this function's plan settings: the
        # transaction's link to its journal entry has no constraint since migration 0014 (the check
        # share-locked the new entry, a WAL record per transfer). ``p_own_transaction`` is unused.
        ("""    IF p_own_transaction THEN
        -- the deferred foreign-key checks, now, with this function's plan settings (a caller's
        -- transaction keeps its constraint mode)
        SET CONSTRAINTS ALL IMMEDIATE;
    END IF;
    RETURN v_result;""", """    RETURN v_result;"""),
        # The journal head moved by one UPDATE that computes the new hash from the old one and returns
        # both (the head keeps ``prev_hash``, migration 0015), instead of locking it with a SELECT
        # (a lock record in the WAL) and updating it with a last statement; the entry, the idempotency
        # result and the audit event follow in one statement.
        (
            _Span(
                "    SELECT h.sequence, h.hash INTO v_seq, v_prev FROM registry_journalhead h WHERE h.id = 1 FOR UPDATE;\n"
                "    IF NOT FOUND THEN\n",
                "        'UTF8')), 'hex');",
            ),
            """    LOOP
        UPDATE registry_journalhead h SET sequence = h.sequence + 1, prev_hash = h.hash,
            hash = encode(sha256(convert_to(
                h.hash || '{"kind":"transfer","occurred_at":' || to_json(p_occurred_at)::text
                       || ',"payload":' || v_payload || ',"sequence":' || (h.sequence + 1) || '}',
                'UTF8')), 'hex')
        WHERE h.id = 1
        RETURNING h.sequence, h.prev_hash, h.hash INTO v_seq, v_prev, v_hash;
        EXIT WHEN FOUND;
        -- no head yet (an empty journal)
        INSERT INTO registry_journalhead (id, sequence, hash, prev_hash, next_serial)
        VALUES (1, 0, repeat('0', 64), '', 1)
        ON CONFLICT (id) DO NOTHING;
    END LOOP;""",
        ),
        (
            """    k AS (UPDATE registry_idempotencykey SET result = v_result WHERE scope = p_scope AND key = p_key),
    a AS (
        INSERT INTO audit_auditevent (at, actor_id, actor_label, action, target_type, target_id, target_label,
            before, after, request_id)
        VALUES (p_now, p_actor_id, p_actor_label, 'registry.transfer', 'registry.transaction', v_tx::text,
            p_audit_label || v_seq, NULL, ('{"payload":' || v_payload || '}')::jsonb, p_request_id)
    )
    UPDATE registry_journalhead SET sequence = v_seq, hash = v_hash WHERE id = 1;
""",
            """    k AS (UPDATE registry_idempotencykey SET result = v_result WHERE scope = p_scope AND key = p_key)
    INSERT INTO audit_auditevent (at, actor_id, actor_label, action, target_type, target_id, target_label,
        before, after, request_id)
    VALUES (p_now, p_actor_id, p_actor_label, 'registry.transfer', 'registry.transaction', v_tx::text,
        p_audit_label || v_seq, NULL, ('{"payload":' || v_payload || '}')::jsonb, p_request_id);
""",
        ),
        # Movements: the pieces are merged (adjacent pieces of one issuance, in serial order) by a
        # statement only when there is more than one; one piece is inserted as it is.
        ("""        SELECT t.id, g.iss, min(g.s), max(g.e) FROM t, (
            SELECT x.s, x.e, x.iss, sum(x.brk) OVER (ORDER BY x.s) AS grp FROM (
                SELECT p.s, p.e, p.iss,
                       CASE WHEN lag(p.e) OVER w + 1 = p.s AND lag(p.iss) OVER w = p.iss THEN 0 ELSE 1 END AS brk
                FROM unnest(m_start, m_end, m_iss) AS p(s, e, iss) WINDOW w AS (ORDER BY p.s)
            ) x
        ) g
        GROUP BY t.id, g.grp, g.iss ORDER BY min(g.s)
""", """        SELECT t.id, p.iss, p.s, p.e FROM t, unnest(m_start, m_end, m_iss) AS p(s, e, iss) ORDER BY p.s
"""),
        ("""    v_entry := nextval('registry_journalentry_id_seq');
    WITH w AS (""", """    IF array_length(m_start, 1) > 1 THEN
        SELECT array_agg(g.s ORDER BY g.s), array_agg(g.e ORDER BY g.s), array_agg(g.iss ORDER BY g.s)
        INTO m_start, m_end, m_iss
        FROM (
            SELECT x.iss, min(x.s) AS s, max(x.e) AS e FROM (
                SELECT y.s, y.e, y.iss, sum(y.brk) OVER (ORDER BY y.s) AS grp FROM (
                    SELECT p.s, p.e, p.iss,
                           CASE WHEN lag(p.e) OVER w + 1 = p.s AND lag(p.iss) OVER w = p.iss THEN 0 ELSE 1 END AS brk
                    FROM unnest(m_start, m_end, m_iss) AS p(s, e, iss) WINDOW w AS (ORDER BY p.s)
                ) y
            ) x
            GROUP BY x.grp, x.iss
        ) g;
    END IF;
    v_entry := nextval('registry_journalentry_id_seq');
    WITH w AS ("""),
        ("    v_whole bigint[] := '{}';       -- blocks that move whole\n",
         "    w_start bigint[] := '{}';       -- rows that move (their new end: w_end)\n"
         "    w_end bigint[] := '{}';\n"
         "    r_start bigint[] := '{}';       -- kept tails, new rows (copying the row that starts at r_from)\n"
         "    r_from bigint[] := '{}';\n"),
    ):
        if isinstance(old, _Span):
            old = old.find(text)
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


TRANSFER_V5 = _v5(TRANSFER_V4)

# Journal entries are never deleted either (transactions refer to them without a constraint since
# migration 0014; a deleted entry would also break the chain).
JOURNAL_GUARD_V1 = """
CREATE TRIGGER registry_journalentry_never_deleted BEFORE DELETE ON registry_journalentry
    FOR EACH ROW EXECUTE FUNCTION jcm_registry_refuse_delete();
"""

DROP_JOURNAL_GUARD_V1 = """
DROP TRIGGER IF EXISTS registry_journalentry_never_deleted ON registry_journalentry;
"""
