//! The chart views (from `playground-charts`) on the app's own starter scenario.

mod tests {
    use crate::views::*;
    use engine::scenario::ComponentSpec;
    use engine::Simulation;

    #[test]
    fn an_autoscaled_component_has_a_chart_of_its_workers_and_a_fixed_one_has_none() {
        let mut scenario = crate::state::starter();
        let api = scenario
            .components
            .iter_mut()
            .find(|c| c.id == "api")
            .expect("api");
        if let ComponentSpec::Service(s) = &mut api.spec {
            s.autoscale = Some(engine::scenario::AutoscaleSpec {
                min_workers: 1,
                max_workers: 64,
                target_utilisation: 0.6,
                interval_ms: 1_000.0,
                warmup_ms: 1_000.0,
                cooldown_ms: 60_000.0,
            });
            s.workers = s.workers.clamp(1, 64);
        }
        let mut sim = Simulation::new(&scenario).expect("valid");
        sim.run_until(engine::SimTime::from_secs(5.0));
        let api = sim.topology().index_of("api");
        let view = charts(&sim, api, crate::chart::LIGHT, 0.1);
        let workers = view
            .charts
            .iter()
            .find(|c| c.title == "Workers (autoscaling)")
            .expect("a workers chart");
        assert_eq!(workers.series[0].points.len(), 50);
        assert!(workers.series[0]
            .points
            .iter()
            .all(|p| (1.0..=64.0).contains(&p.1)));
        let db = sim.topology().index_of("db");
        let fixed = charts(&sim, db, crate::chart::LIGHT, 0.1);
        assert!(fixed
            .charts
            .iter()
            .all(|c| c.title != "Workers (autoscaling)"));
    }

    #[test]
    fn charts_follow_the_selection_and_read_as_text() {
        let mut sim = Simulation::new(&crate::state::starter()).expect("valid");
        sim.run_until(engine::SimTime::from_secs(5.0));
        let system = charts(&sim, None, crate::chart::LIGHT, 0.1);
        assert_eq!(system.charts.len(), 6);
        assert!(
            system.charts[4].series[0].points.iter().any(|p| p.1 > 10.0),
            "the database is busy"
        );
        let throughput = &system.charts[1];
        assert_eq!(throughput.series[2].label, "good (succeeded)");
        let good = &throughput.series[2].points;
        assert_eq!(good.len(), 50, "one point per 100 ms window");
        let mean_good: f64 = good.iter().map(|p| p.1).sum::<f64>() / good.len() as f64;
        assert!(
            (mean_good - 300.0).abs() < 60.0,
            "users send 300/s: {mean_good}"
        );
        let users = charts(&sim, Some(0), crate::chart::LIGHT, 0.1);
        let titles: Vec<&str> = users.charts.iter().map(|c| c.title).collect();
        assert_eq!(
            titles,
            [
                "Latency",
                "Throughput",
                "Errors",
                "Side effects (since the start of the chart)"
            ],
            "users have no queue or workers to chart"
        );
        let db = charts(&sim, Some(2), crate::chart::LIGHT, 0.1);
        assert_eq!(db.charts.len(), 6);
        assert_eq!(db.subject, "Database");
        let text = csv(&db.charts[0]);
        assert!(text.starts_with("time (s),p50,p95,p99\n"));
        assert_eq!(text.lines().count(), 51);
    }
}

mod ab_tests {
    use crate::chart::Series;
    use crate::views::*;

    #[test]
    fn ab_overlays_the_same_lines_of_both_runs() {
        let a = crate::state::starter();
        let mut b = a.clone();
        if let Some(engine::scenario::ComponentSpec::Database(d)) = b
            .components
            .iter_mut()
            .find(|c| c.id == "db")
            .map(|c| &mut c.spec)
        {
            d.pool_size = 1;
        }
        let va = run_charts(&a, 10.0, crate::chart::LIGHT).expect("runs");
        let vb = run_charts(&b, 10.0, crate::chart::LIGHT).expect("runs");
        let ab = overlay(&va, &vb, crate::chart::LIGHT);
        let latency = &ab.charts[0];
        assert_eq!(latency.series.len(), 2);
        assert_eq!(latency.series[0].label, "A: p99");
        let failures = &ab.charts[2];
        assert_eq!(failures.title, "Errors");
        assert_eq!(failures.series[0].label, "A: all failures");
        assert_eq!(failures.series.len(), 2);
        let peak = |s: &Series| s.points.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!(
            peak(&latency.series[1]) > 2.0 * peak(&latency.series[0]),
            "one connection makes B much slower"
        );
    }
}
