import { type Kysely, sql } from 'kysely';

/**
 * poshub_admit (0006) again, with one change: before parking a delivery behind the original it refers to
 * (causal order), it waits for a resolve of that original under way and looks at its status again. The
 * lost wake-up it closes: a return admitted in one store while its sale, in another store, was being
 * resolved could park after the resolve had released the sale's waiters, and then wait out its whole bound
 * (five minutes by default). Found by the showcase end-to-end test on SQS.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function poshub_admit(
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
            -- A resolve of the original under way holds its row: wait for it, then look again. Without
            -- this, a park decided on the original's old status could commit after that resolve's release
            -- had looked for waiters, and wait for its whole bound (a lost wake-up between two stores).
            -- Taken first, the share lock makes that resolve wait for this park, which it then releases.
            perform 1 from deliveries d
              where d.connector_id = p_connector and d.event_id = v_original for share;
            if exists (select 1 from deliveries d
                        where d.connector_id = p_connector and d.event_id = v_original
                          and d.status in ('applied', 'dead', 'skipped')) then
              v_original := null;
            end if;
          end if;
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
}

/** Back to 0006's definition. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function poshub_admit(
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
}
