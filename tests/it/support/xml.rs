//! A minimal XML tree on top of quick-xml, strict enough to prove that
//! feeds and sitemaps are well-formed.

#[derive(Debug, Default)]
pub struct XmlNode {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<XmlNode>,
    pub text: String,
}

impl XmlNode {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every descendant (self included) named `name`.
    pub fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a XmlNode>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.all(name, out);
        }
    }

    pub fn find_all(&self, name: &str) -> Vec<&XmlNode> {
        let mut v = Vec::new();
        self.all(name, &mut v);
        v
    }
}

/// Parses `text` as a well-formed XML document with a single root.
pub fn parse_xml(text: &str) -> Result<XmlNode, String> {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};
    fn start(e: &BytesStart) -> Result<XmlNode, String> {
        let name = e.name().as_ref().to_string();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad value of {key} in <{name}>: {e}"))?;
            attrs.push((key, value.into_owned()));
        }
        Ok(XmlNode {
            name,
            attrs,
            ..Default::default()
        })
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<XmlNode> = Vec::new();
    let mut root: Option<XmlNode> = None;
    let push_child = |stack: &mut Vec<XmlNode>,
                      root: &mut Option<XmlNode>,
                      node: XmlNode|
     -> Result<(), String> {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None if root.is_none() => *root = Some(node),
            None => return Err(format!("second root element <{}>", node.name)),
        }
        Ok(())
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| format!("XML error near byte {pos}: {e}"))?;
        match ev {
            Event::Start(e) => {
                if stack.is_empty() && root.is_some() {
                    return Err("second root element".into());
                }
                stack.push(start(&e)?);
            }
            Event::Empty(e) => {
                let node = start(&e)?;
                push_child(&mut stack, &mut root, node)?;
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("end tag without start tag")?;
                push_child(&mut stack, &mut root, node)?;
            }
            Event::Text(t) => {
                let s = t.xml_content(XmlVersion::Implicit1_0);
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(format!("text outside the root element: {s:?}")),
                }
            }
            Event::CData(t) => {
                let s = t.xml_content(XmlVersion::Implicit1_0);
                stack
                    .last_mut()
                    .ok_or("CDATA outside the root element")?
                    .text
                    .push_str(&s);
            }
            Event::GeneralRef(r) => {
                let name = r.to_string();
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| format!("bad reference &{name};: {e}"))?
                {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("undefined entity &{name};"))?
                        .to_string(),
                };
                stack
                    .last_mut()
                    .ok_or("reference outside the root element")?
                    .text
                    .push_str(&resolved);
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{}> is never closed", open.name));
    }
    root.ok_or_else(|| "no root element".to_string())
}
