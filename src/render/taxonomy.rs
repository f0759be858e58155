//! The pages that browse spas by what they offer and what they are: the
//! treatment index, a page per treatment, a page per kind of spa.

use super::context::*;
use super::{OutputFile, PageSpec, Renderer, seo};
use crate::config::Lang;
use crate::content::Kind;
use crate::content::frontmatter::SpaKind;
use crate::diagnostic::Diagnostic;
use crate::route::{Route, Section};
use crate::site::{Facts, ItemId, TreatId};
use serde_json::json;

type R = Result<OutputFile, Diagnostic>;

impl<'a> Renderer<'a> {
    pub(super) fn treatment_index(&self, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let (route, mut spec) = self.section_spec(lang, Section::Treatments, "treatments");
        let link = |id: TreatId| {
            let t = self.treatment(id);
            TreatmentLink {
                name: t.record.name_in(lang.as_str()).to_string(),
                href: c.href(&t.route(lang)),
                description: t.record.description_in(lang.as_str()).map(str::to_string),
                spa_count: t.spas.len(),
                spa_count_text: self.count_text(lang, "spa_count", t.spas.len()),
            }
        };
        let sorted = |mut v: Vec<TreatmentLink>| {
            self.locale(lang)
                .sort_by_name(&mut v, |l| &l.name, |l| &l.href);
            v
        };
        let mut categories: Vec<TreatmentGroup> = self
            .site
            .categories
            .iter()
            .map(|cat| TreatmentGroup {
                name: cat.name_in(lang.as_str()).to_string(),
                slug: cat.slug.clone(),
                treatments: sorted(
                    self.site
                        .treatments
                        .iter()
                        .filter(|t| t.record.category.as_deref() == Some(&cat.slug))
                        .map(|t| link(t.id))
                        .collect(),
                ),
            })
            .filter(|g| !g.treatments.is_empty())
            .collect();
        let other = sorted(
            self.site
                .treatments
                .iter()
                .filter(|t| t.record.category.is_none())
                .map(|t| link(t.id))
                .collect(),
        );
        if !other.is_empty() {
            categories.push(TreatmentGroup {
                name: if categories.is_empty() {
                    String::new()
                } else {
                    self.text(lang, "treatments_other")
                },
                slug: "other".into(),
                treatments: other,
            });
        }
        let all: Vec<(String, String)> = categories
            .iter()
            .flat_map(|g| &g.treatments)
            .map(|t| {
                let p = t.href.strip_prefix(&c.base_path).unwrap_or(&t.href);
                (t.name.clone(), c.absolute(p))
            })
            .collect();
        spec.json_ld.push(seo::item_list(
            &spec.heading,
            all.iter().map(|(n, u)| (n.as_str(), u.clone())),
        ));
        let page = self.page(lang, spec, TreatmentIndexData { categories });
        self.template("treatments.html", &page, &route)
    }

    pub(super) fn treatment_page(&self, id: TreatId, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let t = self.treatment(id);
        let name = t.record.name_in(lang.as_str()).to_string();
        let route = t.route(lang);
        let path = c.path(&route);
        let description = t.record.description_in(lang.as_str()).map(str::to_string);
        let mut spec = PageSpec::new(path.clone(), name.clone(), "treatments");
        spec.description = description.clone().unwrap_or_default();
        spec.alternates = self.all_languages(|l| t.route(l));
        let index = Route::Index(lang.clone(), Section::Treatments);
        spec.crumbs.push(Link {
            name: self.text(lang, "treatments"),
            href: c.href(&index),
        });
        spec.crumbs.push(Link {
            name: name.clone(),
            href: c.link(&path),
        });
        let countries = self.by_country(&t.spas, lang);
        let mut therapy = json!({
            "@type": "MedicalTherapy",
            "@id": format!("{}#item", c.url(&t.route(&c.default_language))),
            "name": name, "url": c.absolute(&path),
        });
        seo::set(
            &mut therapy,
            "description",
            description.clone().map(Into::into),
        );
        spec.json_ld.push(therapy.into());
        spec.json_ld
            .push(self.item_list(&spec.heading, &country_items(&countries)));
        let category = t.record.category.as_ref().and_then(|slug| {
            let cat = self.site.categories.iter().find(|x| &x.slug == slug)?;
            Some(Link {
                name: cat.name_in(lang.as_str()).to_string(),
                href: format!("{}#cat-{}", c.href(&index), cat.slug),
            })
        });
        let data = TreatmentData {
            name,
            description,
            category,
            countries,
        };
        let page = self.page(lang, spec, data);
        self.template("treatment.html", &page, &route)
    }

    pub(super) fn kind_page(&self, kind: SpaKind, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let route = Route::SpaKind(lang.clone(), kind);
        let path = c.path(&route);
        let name = self.text(lang, kind.label_key());
        let mut spec = PageSpec::new(path.clone(), name.clone(), "spas");
        spec.alternates = self.all_languages(|l| Route::SpaKind(l.clone(), kind));
        spec.crumbs.push(Link {
            name: self.text(lang, "spas"),
            href: c.href(&Route::Index(lang.clone(), Section::Spas)),
        });
        spec.crumbs.push(Link {
            name: name.clone(),
            href: c.link(&path),
        });
        let ids: Vec<ItemId> = self
            .items_of(Kind::Spa)
            .filter(|i| matches!(self.facts(i), Facts::Spa(s) if s.kind == Some(kind)))
            .map(|i| i.id)
            .collect();
        let countries = self.by_country(&ids, lang);
        spec.json_ld
            .push(self.item_list(&spec.heading, &country_items(&countries)));
        let kinds = self.kind_links(lang, Some(kind));
        let page = self.page(lang, spec, SpaIndexData { countries, kinds });
        self.template("spas.html", &page, &route)
    }

    /// Links to the kind pages there are, but `except`'s.
    pub(super) fn kind_links(&self, lang: &Lang, except: Option<SpaKind>) -> Vec<Link> {
        // Which kinds have pages depends on every spa's kind.
        for i in self.items_of(Kind::Spa) {
            self.read(super::deps::Dep::Pages(i.id));
            self.facts(i);
        }
        let mut v: Vec<Link> = self
            .site
            .spa_kinds()
            .into_iter()
            .filter(|k| Some(*k) != except)
            .map(|k| Link {
                name: self.text(lang, k.label_key()),
                href: self.site.config.href(&Route::SpaKind(lang.clone(), k)),
            })
            .collect();
        self.locale(lang)
            .sort_by_name(&mut v, |l| &l.name, |l| &l.href);
        v
    }
}
