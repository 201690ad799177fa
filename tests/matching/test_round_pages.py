"""The allocation officer's round pages: create, follow the solve, read the proposal, review,
send offers; bad input on every form; who may see what."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.offers import Offer
from matching.rounds import AllocationRound, Decision, Proposal, RoundUnit, current_proposals
from sra.audit import AuditEntry
from sra.identity.roles import Role
from sra.jobs import Job
from sra.settings import Settings
from tests.matching.round_world import RoundWorld, make_round_world, run_jobs, solved_round
from tests.sra.register.intake_world import Client, error_beside, post, signed_in
from tests.sra.register.records import add_placed_unit, add_user

GOOD_FORM = {
    "name": "March round",
    "round_date": date.today().isoformat(),
    "mode": "max_housed",
    "weight_urgency": "10",
    "weight_waiting_day": "1",
    "weight_km": "3",
    "affordability_ratio": "0,35",
    "cap": "",
    "search_minutes": "5",
}


async def count(db: AsyncSession, model: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def officer_world(client: Client, db: AsyncSession) -> RoundWorld:
    world = await make_round_world(db)
    await signed_in(client, db, world.officer)
    return world


def unit_fields(world: RoundWorld) -> dict[str, list[str]]:
    return {"units": [str(u.id) for u in world.units]}


async def post_form(client: Client, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    """A form post with repeated fields (the flats' checkboxes) and the CSRF token."""
    await client.get("/")
    token = client.cookies.get("sra_csrf")
    return await client.post(
        path,
        data={**data, "_csrf_token": token},
        follow_redirects=False,  # type: ignore[dict-item]
    )


async def test_the_officer_creates_a_round_and_follows_its_solve(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    without_place = await add_placed_unit(db, world.landlord, "Flat D")
    without_place.tenant_rent_cents = None
    await db.commit()

    home = await client.get("/staff")
    form = await client.get("/staff/rounds/new")

    assert 'href="/staff/rounds"' in home.text
    for unit in world.units:
        assert f'value="{unit.id}" checked' in form.text
    assert f'value="{without_place.id}" disabled' in form.text
    created = await post_form(client, "/staff/rounds/", {**GOOD_FORM, **unit_fields(world)})
    assert created.status_code == 303
    round_ = await db.scalar(select(AllocationRound))
    assert round_ is not None
    assert created.headers["location"] == f"/staff/rounds/{round_.id}"
    assert (round_.name, round_.affordability_ratio, round_.max_high_support_per_building) == (
        "March round",
        "0.35",
        None,
    )
    assert round_.search_minutes == 5
    assert await count(db, RoundUnit) == 3
    assert await count(db, Job) == 1
    waiting = await client.get(f"/staff/rounds/{round_.id}")
    assert 'hx-get="/staff/rounds/' in waiting.text
    assert f'href="/staff/rounds/{round_.id}">Refresh' in waiting.text
    polled = await client.get(f"/staff/rounds/{round_.id}/progress")
    assert "HX-Refresh" not in polled.headers

    await run_jobs(db, settings)

    polled = await client.get(f"/staff/rounds/{round_.id}/progress")
    assert polled.headers["HX-Refresh"] == "true"
    listed = await client.get("/staff/rounds")
    assert "March round" in listed.text


async def test_the_proposal_page_explains_each_flat_and_each_household_left_out(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    round_ = await solved_round(db, world, settings)

    page = (await client.get(f"/staff/rounds/{round_.id}")).text

    assert "Score 527 = priority 500 + waiting 30 − distance 3 (1.112 km)" in page
    assert "Score 210 = priority 200 + waiting 10 − distance 0 (0.0 km)" in page
    assert "score 530, 0.0 km · proposed Flat B" in page  # Ann, Flat A's next best
    assert "No flat fits: 1 the wrong size, 3 not wheelchair accessible." in page
    assert "Other households ranked higher for the flats it fitted:" in page
    assert f"Flat A went to {world.bo.reference}" in page
    assert f"Flat B went to {world.ann.reference}" in page
    assert "Flat C" in page
    assert "No household of the round fits this flat." in page
    assert "<td>737</td><td>585</td>" in page.replace("\n", "").replace(" ", "")
    assert "<svg" in page
    assert "Housed by this round only" in page


async def test_the_fairness_report_downloads_as_csv(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    round_ = await solved_round(db, world, settings)

    response = await client.get(f"/staff/rounds/{round_.id}/fairness.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["Dimension", "Group", "Households"]
    table = {(r[0], r[1]): r[2:] for r in rows[1:]}
    # Four households: the round houses Ann and Bo, a waitlist Ann and Di.
    assert table[("All households", "All households")] == ["4", "2", "50.0", "2", "50.0"]
    assert table[("Household size", "1 person")] == ["3", "1", "33.3", "2", "66.7"]
    assert table[("Household size", "2 people")] == ["1", "1", "100.0", "0", "0.0"]
    assert table[("Disability or access need", "Yes")] == ["1", "0", "0.0", "0", "0.0"]
    assert table[("Displaced", "Yes")] == ["1", "1", "100.0", "0", "0.0"]
    assert table[("ETHOS group", "Not recorded")] == ["2", "0", "0.0", "1", "50.0"]


async def test_a_new_round_with_bad_input_shows_each_error_and_stores_nothing(
    client: Client, db: AsyncSession
) -> None:
    world = await officer_world(client, db)
    bad = {
        "name": "",
        "round_date": (date.today() - timedelta(days=1)).isoformat(),
        "mode": "lottery",
        "weight_urgency": "1001",
        "weight_waiting_day": "-1",
        "weight_km": "three",
        "affordability_ratio": "1.5",
        "cap": "-2",
        "search_minutes": "61",
        "units": ["not-a-flat"],
    }

    response = await post_form(client, "/staff/rounds/", bad)

    assert response.status_code == 400
    for field in bad:
        assert error_beside(response.text, field)
    assert await count(db, AllocationRound) == 0
    assert await count(db, Job) == 0
    no_units = await post_form(client, "/staff/rounds/", GOOD_FORM)
    assert no_units.status_code == 400
    assert "Please choose at least one flat." in error_beside(no_units.text, "units")
    other = await add_placed_unit(db, world.landlord, "Flat X", tenant_rent_cents=None)
    await db.commit()
    unusable = await post_form(client, "/staff/rounds/", {**GOOD_FORM, "units": [str(other.id)]})
    assert unusable.status_code == 400
    assert await count(db, AllocationRound) == 0


async def test_review_forms_refuse_bad_input_and_store_nothing(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    round_ = await solved_round(db, world, settings)
    by_unit = {p.unit_id: p for p in await current_proposals(db, round_)}
    to_bo = by_unit[world.flat_a.id]
    base = f"/staff/rounds/{round_.id}/proposals/{to_bo.id}"

    no_reason = await post(client, f"{base}/reject", {"reason": " "})
    no_household = await post(client, f"{base}/override", {"household": "", "justification": ""})
    unjustified = await post(client, f"{base}/override", {"household": str(world.cy.id)})
    past = await post(client, f"/staff/rounds/{round_.id}/offers", {"deadline": "2020-01-01"})
    nothing_approved = await post(
        client,
        f"/staff/rounds/{round_.id}/offers",
        {"deadline": (date.today() + timedelta(days=7)).isoformat()},
    )
    still_pending = await post(client, f"/staff/rounds/{round_.id}/close", {})

    assert no_reason.status_code == 400
    assert error_beside(no_reason.text, "reason")
    assert no_household.status_code == 400
    assert error_beside(no_household.text, "household")
    assert unjustified.status_code == 400
    assert "not wheelchair accessible" in error_beside(unjustified.text, "justification")
    assert past.status_code == 400
    assert error_beside(past.text, "deadline")
    assert nothing_approved.status_code == 400
    assert error_beside(nothing_approved.text, "deadline")
    assert still_pending.status_code == 400
    assert error_beside(still_pending.text, "close")
    await db.refresh(to_bo)
    assert (to_bo.decision, to_bo.household_id) == (Decision.PENDING, world.bo.id)
    assert await count(db, Offer) == 0


async def test_the_officer_approves_overrides_and_sends_offers_from_the_page(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    round_ = await solved_round(db, world, settings)
    by_unit = {p.unit_id: p for p in await current_proposals(db, round_)}
    to_ann, to_bo = by_unit[world.flat_b.id], by_unit[world.flat_a.id]
    base = f"/staff/rounds/{round_.id}/proposals"

    approved = await post(client, f"{base}/{to_ann.id}/approve", {})
    overridden = await post(
        client,
        f"{base}/{to_bo.id}/override",
        {"household": str(world.cy.id), "justification": "A ramp is being fitted."},
    )
    page = await client.get(f"/staff/rounds/{round_.id}")
    sent = await post(
        client,
        f"/staff/rounds/{round_.id}/offers",
        {"deadline": (date.today() + timedelta(days=7)).isoformat()},
    )

    assert (approved.status_code, overridden.status_code, sent.status_code) == (303, 303, 303)
    assert "Flagged: this household does not meet the rules for this flat." in page.text
    assert "the flat is not wheelchair accessible" in page.text
    assert "A ramp is being fitted." in page.text
    offers = {(o.unit_id, o.household_id) for o in await db.scalars(select(Offer))}
    assert offers == {(world.flat_b.id, world.ann.id), (world.flat_a.id, world.cy.id)}
    await db.refresh(to_ann)
    assert to_ann.decision is Decision.OFFERED


async def test_rerun_from_the_page_queues_a_new_solve(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    round_ = await solved_round(db, world, settings)

    response = await post(client, f"/staff/rounds/{round_.id}/rerun", {})

    assert response.status_code == 303
    await db.refresh(round_)
    assert (round_.run_number, round_.status.value) == (2, "queued")
    await run_jobs(db, settings)
    await db.refresh(round_)
    assert round_.status.value == "proposed"
    assert await count(db, Proposal) == 2


async def test_a_proposal_stopped_by_its_time_limit_can_be_searched_again_for_longer(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await officer_world(client, db)
    round_ = await solved_round(db, world, settings)
    round_.solver_status = "feasible"  # as when the capped search ran out of time
    await db.commit()
    path = f"/staff/rounds/{round_.id}/rerun"

    page = (await client.get(f"/staff/rounds/{round_.id}")).text
    assert "time limit of 2 minutes" in page
    assert 'name="search_minutes" type="text" value="8"' in page

    for bad in ("0", "61", "ten", ""):
        refused = await post(client, path, {"search_minutes": bad})
        assert refused.status_code == 400
        assert error_beside(refused.text, "search_minutes")
    await db.refresh(round_)
    assert (round_.run_number, round_.search_minutes) == (1, 2)

    again = await post(client, path, {"search_minutes": "10"})

    assert again.status_code == 303
    await db.refresh(round_)
    assert (round_.run_number, round_.status.value, round_.search_minutes) == (2, "queued", 10)
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "round.rerun"))
    assert entry is not None
    assert (entry.before["search_minutes"], entry.after["search_minutes"]) == (2, 10)
    await run_jobs(db, settings)
    await db.refresh(round_)
    assert (round_.status.value, round_.solver_status) == ("proposed", "optimal")


async def test_households_landlords_and_other_staff_are_refused(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await make_round_world(db)
    round_ = await solved_round(db, world, settings)
    proposal = (await current_proposals(db, round_))[0]
    pages = ["/staff/rounds", "/staff/rounds/new", f"/staff/rounds/{round_.id}"]
    pages += [f"/staff/rounds/{round_.id}/progress", f"/staff/rounds/{round_.id}/fairness.csv"]
    posts = ["/staff/rounds/", f"/staff/rounds/{round_.id}/rerun"]
    posts += [f"/staff/rounds/{round_.id}/proposals/{proposal.id}/approve"]
    for role in (Role.HOUSEHOLD, Role.LANDLORD, Role.CASEWORKER, Role.INTAKE_OFFICER):
        await signed_in(client, db, await add_user(db, role, world.agency.id))
        for page in pages:
            assert (await client.get(page)).status_code == 403, (role, page)
        for path in posts:
            assert (await post(client, path, {})).status_code == 403, (role, path)
    await db.refresh(proposal)
    assert proposal.decision is Decision.PENDING


async def test_another_agencys_round_is_not_found(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    world = await make_round_world(db)
    round_ = await solved_round(db, world, settings)
    proposal = (await current_proposals(db, round_))[0]
    other = await make_round_world(db, "Other agency")
    await signed_in(client, db, other.officer)

    for page in ("", "/progress", "/fairness.csv"):
        assert (await client.get(f"/staff/rounds/{round_.id}{page}")).status_code == 404
    for action in ("approve", "reject", "override"):
        path = f"/staff/rounds/{round_.id}/proposals/{proposal.id}/{action}"
        assert (await post(client, path, {"reason": "x"})).status_code == 404
    for action in ("rerun", "offers", "close"):
        assert (await post(client, f"/staff/rounds/{round_.id}/{action}", {})).status_code == 404
    listed = await client.get("/staff/rounds")
    assert "Test round" not in listed.text
    await db.refresh(proposal)
    assert proposal.decision is Decision.PENDING
