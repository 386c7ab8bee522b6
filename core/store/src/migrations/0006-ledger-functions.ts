import { type Kysely, sql } from 'kysely';

/**
 * The delivery ledger's decisions as PL/pgSQL functions, so that admitting a batch of deliveries, or
 * recording how a batch ended, is one statement and one round trip (the lane's throughput was bounded by
 * round trips from the hub, about fifteen per delivery, not by the work done in them). The rules are the
 * ones described in core/dispatch (delivery-ledger.ts); the dispatch tests exercise them through these.
 *
 * - poshub_lock_lanes: advisory locks of several stores' lanes, always in sorted order (no deadlock
 *   between two batches that share stores).
 * - poshub_backfill: on an ordered lane, the first time an event arrives, the store's earlier events (its
 *   types, since the connector registered) the connector never received get ledger rows ahead of it.
 * - poshub_release_next: a store's first open event, when parked and free, is released.
 * - poshub_release_after: after events became final, their causal dependants stop waiting, and on an
 *   ordered lane each store's next parked event is released.
 * - poshub_admit: what to do with each delivery of a batch (go, duplicate, busy, parked, unknown).
 * - poshub_resolve: records a batch's outcomes and attempts, then releases what they unblocked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function poshub_lock_lanes(p_connector text, p_stores text[]) returns void
    language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(hashtext(k))
         from (select distinct 'poshub.lane.' || p_connector || '|' || s as k from unnest(p_stores) s order by 1) l;
    end $$`.execute(db);

  await sql`
    create function poshub_backfill(p_connector text, p_types text[], p_event text, p_store text)
    returns integer language plpgsql as $$
    declare
      v_me bigint;
      v_registered timestamptz;
      v_ids text[] := '{}';
      v_types text[] := '{}';
      o record;
    begin
      if exists (select 1 from deliveries d where d.connector_id = p_connector and d.event_id = p_event) then
        return 0;
      end if;
      select ob.id into v_me from outbox ob where ob.event_id = p_event order by ob.id limit 1;
      select c.registered_at into v_registered from connectors c where c.id = p_connector;
      if v_me is null or v_registered is null then
        return 0;
      end if;
      -- Walk back in commit order to the first event the connector has seen (usually the previous one).
      for o in
        select ob.event_id, ob.type, d.event_id is not null as seen
          from outbox ob
          left join deliveries d on d.connector_id = p_connector and d.event_id = ob.event_id
         where ob.store_id = p_store and ob.id < v_me and ob.type = any(p_types)
           and ob.created_at >= v_registered
         order by ob.id desc
         limit 1000
      loop
        exit when o.seen;
        v_ids := v_ids || o.event_id;
        v_types := v_types || o.type;
      end loop;
      if cardinality(v_ids) = 0 then
        return 0;
      end if;
      insert into deliveries (connector_id, event_id, store_id, type, status)
      select p_connector, m.event_id, p_store, m.type, 'waiting'
        from unnest(v_ids, v_types) with ordinality as m(event_id, type, n)
       order by m.n desc
      on conflict (connector_id, event_id) do nothing;
      return cardinality(v_ids);
    end $$`.execute(db);

  await sql`
    create function poshub_release_next(p_connector text, p_stores text[]) returns setof text
    language plpgsql as $$
    begin
      return query
      with firsts as (
        select f.event_id, f.status, f.waiting_on
          from unnest(p_stores) s(store_id)
          cross join lateral (
            select d.event_id, d.status, d.waiting_on from deliveries d
             where d.connector_id = p_connector and d.store_id = s.store_id
               and d.status not in ('applied', 'dead', 'skipped')
             order by d.seq limit 1) f)
      update deliveries d set status = 'released', updated_at = now()
        from firsts f
       where d.connector_id = p_connector and d.event_id = f.event_id
         and f.status = 'waiting' and f.waiting_on is null
      returning d.event_id;
    end $$`.execute(db);

  await sql`
    create function poshub_release_after(p_connector text, p_ordered boolean, p_events text[], p_stores text[])
    returns setof text language plpgsql as $$
    declare
      v_dep_events text[];
      v_dep_stores text[];
    begin
      if cardinality(p_events) = 0 then
        return;
      end if;
      with freed as (
        update deliveries d set waiting_on = null, wait_until = null, updated_at = now()
         where d.connector_id = p_connector and d.waiting_on = any(p_events) and d.status = 'waiting'
        returning d.event_id, d.store_id)
      select coalesce(array_agg(freed.event_id), '{}'), coalesce(array_agg(freed.store_id), '{}')
        into v_dep_events, v_dep_stores from freed;
      if p_ordered then
        perform poshub_lock_lanes(p_connector,
          array(select s from unnest(v_dep_stores) s where not s = any(p_stores)));
        return query select * from poshub_release_next(p_connector,
          array(select distinct s from unnest(p_stores || v_dep_stores) s));
      elsif cardinality(v_dep_events) > 0 then
        update deliveries d set status = 'released', updated_at = now()
         where d.connector_id = p_connector and d.event_id = any(v_dep_events);
        return query select unnest(v_dep_events);
      end if;
    end $$`.execute(db);

  await sql`
    create function poshub_admit(
      p_connector text, p_types text[], p_ordered boolean, p_stale_ms integer, p_causal_wait_ms integer,
      p_items jsonb)
    returns table (o_event_id text, o_kind text, o_status text, o_attempt integer, o_received_at timestamptz,
                   o_release text)
    language plpgsql as $$
    declare
      it record;
      r record;
      v_backfilled integer;
      v_original text;
    begin
      if p_ordered then
        perform poshub_lock_lanes(p_connector,
          array(select x->>'store' from jsonb_array_elements(p_items) x));
      end if;
      for it in
        select x->>'id' as id, x->>'store' as store, (x->>'wanted')::boolean as wanted,
               array(select jsonb_array_elements_text(coalesce(x->'keys', '[]'::jsonb))) as keys
          from jsonb_array_elements(p_items) with ordinality as t(x, n)
         order by t.n
      loop
        v_backfilled := 0;
        if p_ordered then
          v_backfilled := poshub_backfill(p_connector, p_types, it.id, it.store);
        end if;
        insert into deliveries (connector_id, event_id, store_id, type, status)
        select p_connector, e.id, it.store, e.type, 'pending' from events e where e.id = it.id
        on conflict (connector_id, event_id) do nothing;
        select d.status, d.seq, d.attempts, d.waiting_on, d.wait_until, d.updated_at, e.received_at
          into r
          from deliveries d join events e on e.id = d.event_id
         where d.connector_id = p_connector and d.event_id = it.id
           for update of d;
        if not found then
          return query select it.id, 'unknown', null::text, null::integer, null::timestamptz, null::text;
          continue;
        end if;
        if r.status in ('applied', 'dead', 'skipped') then
          return query select it.id, 'duplicate', r.status, null::integer, null::timestamptz, null::text;
          continue;
        end if;
        if r.status = 'pending' and r.attempts > 0
           and r.updated_at > now() - make_interval(secs => p_stale_ms / 1000.0) then
          return query select it.id, 'busy', null::text, null::integer, null::timestamptz, null::text;
          continue;
        end if;
        if not it.wanted then
          update deliveries d set status = 'skipped', updated_at = now()
           where d.connector_id = p_connector and d.event_id = it.id;
          return query select it.id, 'duplicate', 'skipped'::text, null::integer, null::timestamptz, null::text;
          continue;
        end if;
        if p_ordered and r.status <> 'released' and exists (
             select 1 from deliveries x
              where x.connector_id = p_connector and x.store_id = it.store and x.seq < r.seq
                and x.status not in ('applied', 'dead', 'skipped')) then
          update deliveries d set status = 'waiting', updated_at = now()
           where d.connector_id = p_connector and d.event_id = it.id;
          return query select it.id, 'parked:order', null::text, null::integer, null::timestamptz,
            case when v_backfilled > 0
                 then (select n from poshub_release_next(p_connector, array[it.store]) n limit 1) end;
          continue;
        end if;
        -- A causal wait is checked until it is over: it never started, or it started and has time left.
        -- After a timeout the reconciler clears waiting_on and keeps the past wait_until.
        if cardinality(it.keys) > 0
           and (r.wait_until is null or (r.waiting_on is not null and r.wait_until > now())) then
          select e.id into v_original
            from events e
            join connectors c on c.id = p_connector
            left join deliveries d on d.connector_id = p_connector and d.event_id = e.id
           where e.business_key = any(it.keys) and e.type = any(p_types) and e.id <> it.id
             and not e.training and e.received_at >= c.registered_at
             and (d.status is null or d.status not in ('applied', 'dead', 'skipped'))
           limit 1;
          if v_original is not null then
            update deliveries d
               set status = 'waiting', updated_at = now(), waiting_on = v_original,
                   wait_until = now() + make_interval(secs => p_causal_wait_ms / 1000.0)
             where d.connector_id = p_connector and d.event_id = it.id;
            return query select it.id, 'parked:causal', null::text, null::integer, null::timestamptz, null::text;
            continue;
          end if;
        end if;
        update deliveries d set status = 'pending', waiting_on = null, updated_at = now()
         where d.connector_id = p_connector and d.event_id = it.id;
        return query select it.id, 'go', null::text, r.attempts + 1, r.received_at, null::text;
      end loop;
    end $$`.execute(db);

  await sql`
    create function poshub_resolve(p_connector text, p_ordered boolean, p_items jsonb) returns setof text
    language plpgsql as $$
    begin
      if p_ordered then
        perform poshub_lock_lanes(p_connector, array(select x->>'store' from jsonb_array_elements(p_items) x));
      end if;
      update deliveries d
         set status = v.status,
             updated_at = now(),
             attempts = coalesce(v.attempt, d.attempts),
             last_attempt_at = coalesce(v.started_at, d.last_attempt_at),
             applied_at = case when v.status = 'applied' then now() else d.applied_at end,
             next_attempt_at = case when v.status = 'retrying' then v.next_attempt_at end,
             last_error_type = case when v.set_error then v.error_type else d.last_error_type end,
             last_error_message = case when v.set_error then v.error_message else d.last_error_message end
        from jsonb_to_recordset(p_items) as v(id text, status text, attempt integer, started_at timestamptz,
               next_attempt_at timestamptz, set_error boolean, error_type text, error_message text)
       where d.connector_id = p_connector and d.event_id = v.id;
      insert into delivery_attempts
             (connector_id, event_id, attempt, started_at, duration_ms, outcome, error_type, error_message)
      select p_connector, a.id, a.attempt, a.started_at, a.duration_ms, a.outcome, a.attempt_error_type,
             a.attempt_error_message
        from jsonb_to_recordset(p_items) as a(id text, attempt integer, started_at timestamptz,
               duration_ms integer, outcome text, attempt_error_type text, attempt_error_message text)
       where a.outcome is not null;
      return query select * from poshub_release_after(p_connector, p_ordered,
        array(select x->>'id' from jsonb_array_elements(p_items) x where x->>'status' <> 'retrying'),
        array(select x->>'store' from jsonb_array_elements(p_items) x where x->>'status' <> 'retrying'));
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const fn of [
    'poshub_resolve(text, boolean, jsonb)',
    'poshub_admit(text, text[], boolean, integer, integer, jsonb)',
    'poshub_release_after(text, boolean, text[], text[])',
    'poshub_release_next(text, text[])',
    'poshub_backfill(text, text[], text, text)',
    'poshub_lock_lanes(text, text[])',
  ]) {
    await sql.raw(`drop function ${fn}`).execute(db);
  }
}
