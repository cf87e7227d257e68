//! The diesel schema shared by both backends (checked against each migration set by a test).

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        code -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        path -> Text,
        search_key -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        full_name -> Text,
        role -> Text,
        organization_id -> Text,
        active -> Bool,
        password_hash -> Text,
        token_version -> Integer,
        password_changed_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        search_key -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_label -> Text,
        entity_type -> Text,
        entity_id -> Text,
        action -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        scope_path -> Text,
    }
}

diesel::table! {
    systems (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        description -> Text,
        kind -> Nullable<Text>,
        urls_json -> Text,
        hosting_kind -> Nullable<Text>,
        hosting_provider -> Nullable<Text>,
        data_in_vietnam -> Nullable<Bool>,
        owner_name -> Text,
        operator_id -> Nullable<Text>,
        appraiser_name -> Nullable<Text>,
        status -> Text,
        go_live_on -> Nullable<Date>,
        regime_id -> Text,
        regime_version -> Text,
        computed_level -> Nullable<Integer>,
        classification_status -> Text,
        proposed_level -> Nullable<Integer>,
        proposal_justification -> Nullable<Text>,
        below_criteria -> Bool,
        approved_level -> Nullable<Integer>,
        approval_decision_number -> Nullable<Text>,
        approval_decision_date -> Nullable<Date>,
        redetermination_required -> Bool,
        redetermination_reason -> Nullable<Text>,
        search_key -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        external_id -> Nullable<Text>,
    }
}

diesel::table! {
    system_documents (system_id) {
        system_id -> Text,
        facts_json -> Text,
        classification_json -> Text,
    }
}

diesel::table! {
    system_contacts (system_id, user_id) {
        system_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    system_products (id) {
        id -> Text,
        system_id -> Text,
        name -> Text,
        vendor -> Nullable<Text>,
        version -> Nullable<Text>,
        search_key -> Text,
    }
}

diesel::table! {
    system_components (system_id, component_id) {
        system_id -> Text,
        component_id -> Text,
    }
}

diesel::table! {
    alerts (id) {
        id -> Text,
        organization_id -> Text,
        title -> Text,
        severity -> Text,
        source_authority -> Text,
        source_document -> Nullable<Text>,
        body -> Text,
        cve_ids_json -> Text,
        affected_products_json -> Text,
        required_action -> Text,
        action_due_on -> Nullable<Date>,
        tlp -> Nullable<Text>,
        corrects_id -> Nullable<Text>,
        audience_json -> Text,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    alert_deliveries (id) {
        id -> Text,
        alert_id -> Text,
        user_id -> Nullable<Text>,
        email -> Text,
        full_name -> Text,
        reasons -> Text,
        outbox_id -> Nullable<Text>,
        send_count -> Integer,
        answer -> Nullable<Text>,
        note -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    system_regimes (system_id) {
        system_id -> Text,
        investment_before_law -> Bool,
        chosen_regime -> Nullable<Text>,
        approved_regime_id -> Nullable<Text>,
        approved_regime_version -> Nullable<Text>,
    }
}

diesel::table! {
    system_search (system_id) {
        system_id -> Text,
        search_key -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        message_id -> Text,
        kind -> Text,
        ref_id -> Nullable<Text>,
        to_address -> Text,
        to_name -> Nullable<Text>,
        subject -> Text,
        text_body -> Text,
        html_body -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_reply -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dossiers (id) {
        id -> Text,
        system_id -> Text,
        organization_id -> Text,
        kind -> Text,
        proposed_level -> Integer,
        procedure_level -> Integer,
        regime_id -> Text,
        regime_version -> Text,
        status -> Text,
        submission_number -> Nullable<Text>,
        submission_date -> Nullable<Date>,
        submission_recipient -> Nullable<Text>,
        received_on -> Nullable<Date>,
        appraisal_started_on -> Nullable<Date>,
        appraisal_opinion -> Nullable<Text>,
        appraisal_number -> Nullable<Text>,
        appraisal_date -> Nullable<Date>,
        decision_number -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        approved_level -> Nullable<Integer>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        appraiser_unit_id -> Nullable<Text>,
        appraiser_unit_name -> Nullable<Text>,
        approver_unit_id -> Nullable<Text>,
        approver_unit_name -> Nullable<Text>,
        clock_step -> Nullable<Text>,
        clock_started_on -> Nullable<Date>,
        clock_due_on -> Nullable<Date>,
        appraiser_unit_source -> Nullable<Text>,
        approver_unit_source -> Nullable<Text>,
    }
}

diesel::table! {
    dossier_components (dossier_id, component_id) {
        dossier_id -> Text,
        component_id -> Text,
        position -> Integer,
        step -> Text,
        required -> Bool,
        title -> Text,
        citation -> Text,
        status -> Text,
        document_number -> Nullable<Text>,
        document_date -> Nullable<Date>,
        note -> Nullable<Text>,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dossier_steps (id) {
        id -> Text,
        dossier_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        occurred_on -> Date,
        document_number -> Nullable<Text>,
        document_date -> Nullable<Date>,
        note -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        actor_label -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    dossier_systems (dossier_id, system_id) {
        dossier_id -> Text,
        system_id -> Text,
        position -> Integer,
        proposed_level -> Integer,
    }
}

diesel::table! {
    dossier_files (id) {
        id -> Text,
        dossier_id -> Text,
        component_id -> Text,
        version -> Integer,
        sha256 -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        uploaded_by -> Nullable<Text>,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    authority_assignments (id) {
        id -> Text,
        organization_id -> Text,
        role -> Text,
        min_level -> Integer,
        max_level -> Integer,
        unit_id -> Nullable<Text>,
        unit_name -> Text,
        valid_from -> Date,
        valid_until -> Nullable<Date>,
        basis -> Nullable<Text>,
        note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        organization_id -> Text,
        system_id -> Nullable<Text>,
        scope -> Text,
        regime_id -> Text,
        citation -> Text,
        due_on -> Date,
        done_on -> Nullable<Date>,
        assessor -> Nullable<Text>,
        result -> Nullable<Text>,
        document_number -> Nullable<Text>,
        document_date -> Nullable<Date>,
        note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        interval_months -> Nullable<Integer>,
        interval_reason -> Nullable<Text>,
    }
}

diesel::table! {
    assessment_intervals (organization_id, scope, level) {
        organization_id -> Text,
        scope -> Text,
        level -> Integer,
        every_months -> Integer,
        reason -> Text,
        set_by -> Nullable<Text>,
        set_at -> Timestamp,
    }
}

diesel::table! {
    reminders_sent (reminder_key) {
        reminder_key -> Text,
        user_id -> Nullable<Text>,
        outbox_id -> Nullable<Text>,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    compliance_reviews (id) {
        id -> Text,
        system_id -> Text,
        baseline_id -> Text,
        year -> Integer,
        level -> Integer,
        level_source -> Text,
        hosting_kind -> Nullable<Text>,
        due_on -> Nullable<Date>,
        is_current -> Bool,
        previous_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        total -> Integer,
        met -> Integer,
        partial -> Integer,
        not_met -> Integer,
        not_applicable -> Integer,
        to_review -> Integer,
        score -> Integer,
    }
}

diesel::table! {
    compliance_org_tallies (organization_id, baseline_id, group_code) {
        organization_id -> Text,
        baseline_id -> Text,
        group_code -> Text,
        total -> Integer,
        met -> Integer,
        partial -> Integer,
        not_met -> Integer,
        not_applicable -> Integer,
        to_review -> Integer,
    }
}

diesel::table! {
    compliance_items (id) {
        id -> Text,
        review_id -> Text,
        system_id -> Text,
        requirement_code -> Text,
        group_code -> Text,
        position -> Integer,
        status -> Text,
        na_reason -> Nullable<Text>,
        how_met -> Nullable<Text>,
        responsible_id -> Nullable<Text>,
        target_date -> Nullable<Date>,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
        is_current -> Bool,
    }
}

diesel::table! {
    compliance_group_tallies (review_id, group_code) {
        review_id -> Text,
        group_code -> Text,
        total -> Integer,
        met -> Integer,
        partial -> Integer,
        not_met -> Integer,
        not_applicable -> Integer,
        to_review -> Integer,
    }
}

diesel::table! {
    compliance_evidence (id) {
        id -> Text,
        system_id -> Text,
        baseline_id -> Text,
        requirement_code -> Text,
        title -> Nullable<Text>,
        document_number -> Nullable<Text>,
        document_date -> Nullable<Date>,
        sha256 -> Nullable<Text>,
        file_name -> Nullable<Text>,
        content_type -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        added_by -> Nullable<Text>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    system_tallies (organization_id, computed_level, status, kind, below_criteria, redetermination_required) {
        organization_id -> Text,
        computed_level -> Integer,
        status -> Text,
        kind -> Text,
        below_criteria -> Bool,
        redetermination_required -> Bool,
        total -> BigInt,
    }
}

diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(system_contacts -> users (user_id));
diesel::joinable!(system_products -> systems (system_id));
diesel::joinable!(system_documents -> systems (system_id));
diesel::joinable!(system_regimes -> systems (system_id));
diesel::joinable!(alert_deliveries -> alerts (alert_id));
diesel::joinable!(dossiers -> systems (system_id));
diesel::joinable!(compliance_reviews -> systems (system_id));
diesel::joinable!(compliance_items -> compliance_reviews (review_id));
diesel::joinable!(compliance_group_tallies -> compliance_reviews (review_id));
diesel::joinable!(dossier_components -> dossiers (dossier_id));
diesel::joinable!(dossier_steps -> dossiers (dossier_id));
diesel::joinable!(dossier_systems -> dossiers (dossier_id));
diesel::joinable!(dossier_files -> dossiers (dossier_id));
diesel::joinable!(assessments -> organizations (organization_id));
diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    users,
    audit_log,
    systems,
    system_documents,
    system_contacts,
    system_products,
    system_components,
    system_regimes,
    system_search,
    system_tallies,
    alerts,
    alert_deliveries,
    outbox,
    dossiers,
    dossier_components,
    dossier_steps,
    dossier_systems,
    dossier_files,
    authority_assignments,
    assessments,
    assessment_intervals,
    reminders_sent,
    compliance_reviews,
    compliance_items,
    compliance_group_tallies,
    compliance_evidence,
    compliance_org_tallies
);

/// Every table of this schema with the columns diesel selects from it, so a test can compare
/// `schema.rs` with what each migration set really created.
pub fn tables_and_columns() -> Vec<(&'static str, Vec<String>)> {
    use diesel::QueryDsl;
    fn columns_of<Q: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>>(
        q: Q,
    ) -> Vec<String> {
        let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string();
        let list = sql
            .trim_start_matches("SELECT ")
            .split(" FROM ")
            .next()
            .unwrap_or_default();
        list.split(", ")
            .filter_map(|qualified| qualified.rsplit('.').next())
            .map(|c| c.trim_matches('`').trim_matches('"').to_string())
            .collect()
    }
    vec![
        (
            "outbox",
            columns_of(outbox::table.select(outbox::all_columns)),
        ),
        (
            "organizations",
            columns_of(organizations::table.select(organizations::all_columns)),
        ),
        ("users", columns_of(users::table.select(users::all_columns))),
        (
            "audit_log",
            columns_of(audit_log::table.select(audit_log::all_columns)),
        ),
        (
            "systems",
            columns_of(systems::table.select(systems::all_columns)),
        ),
        (
            "system_contacts",
            columns_of(system_contacts::table.select(system_contacts::all_columns)),
        ),
        (
            "system_products",
            columns_of(system_products::table.select(system_products::all_columns)),
        ),
        (
            "system_components",
            columns_of(system_components::table.select(system_components::all_columns)),
        ),
        (
            "alerts",
            columns_of(alerts::table.select(alerts::all_columns)),
        ),
        (
            "alert_deliveries",
            columns_of(alert_deliveries::table.select(alert_deliveries::all_columns)),
        ),
        (
            "system_regimes",
            columns_of(system_regimes::table.select(system_regimes::all_columns)),
        ),
        (
            "system_search",
            columns_of(system_search::table.select(system_search::all_columns)),
        ),
        (
            "system_tallies",
            columns_of(system_tallies::table.select(system_tallies::all_columns)),
        ),
        (
            "system_documents",
            columns_of(system_documents::table.select(system_documents::all_columns)),
        ),
        (
            "dossiers",
            columns_of(dossiers::table.select(dossiers::all_columns)),
        ),
        (
            "dossier_components",
            columns_of(dossier_components::table.select(dossier_components::all_columns)),
        ),
        (
            "dossier_steps",
            columns_of(dossier_steps::table.select(dossier_steps::all_columns)),
        ),
        (
            "dossier_systems",
            columns_of(dossier_systems::table.select(dossier_systems::all_columns)),
        ),
        (
            "dossier_files",
            columns_of(dossier_files::table.select(dossier_files::all_columns)),
        ),
        (
            "authority_assignments",
            columns_of(authority_assignments::table.select(authority_assignments::all_columns)),
        ),
        (
            "assessments",
            columns_of(assessments::table.select(assessments::all_columns)),
        ),
        (
            "assessment_intervals",
            columns_of(assessment_intervals::table.select(assessment_intervals::all_columns)),
        ),
        (
            "reminders_sent",
            columns_of(reminders_sent::table.select(reminders_sent::all_columns)),
        ),
        (
            "compliance_reviews",
            columns_of(compliance_reviews::table.select(compliance_reviews::all_columns)),
        ),
        (
            "compliance_items",
            columns_of(compliance_items::table.select(compliance_items::all_columns)),
        ),
        (
            "compliance_group_tallies",
            columns_of(
                compliance_group_tallies::table.select(compliance_group_tallies::all_columns),
            ),
        ),
        (
            "compliance_evidence",
            columns_of(compliance_evidence::table.select(compliance_evidence::all_columns)),
        ),
        (
            "compliance_org_tallies",
            columns_of(compliance_org_tallies::table.select(compliance_org_tallies::all_columns)),
        ),
    ]
}
