//! The `--format json` of every command but `settle`'s own stream: the answer with the
//! envelope's fields first ([`yibao::output::envelope`]).
//!
//! An answer that is an object keeps its fields after the envelope's; one that is a list
//! goes under `rows`, so that every JSON output is an object that starts the same way.
//! The envelope names the policy data, which is known once it is loaded: the command's
//! loading of the data ([`super::policy_data`]) records it here, once for the process.

use std::sync::OnceLock;

use serde::Serialize;
use serde::ser::{Impossible, Serializer};
use yibao::output::envelope::{Envelope, Enveloped};
use yibao::policy::PolicyLibrary;

use super::Failure;

/// The envelope of the policy data this process loaded.
static ENVELOPE: OnceLock<Envelope> = OnceLock::new();

/// Records the policy data the answers are computed with (the first loaded, the only one).
pub(crate) fn loaded(library: &PolicyLibrary) {
    let _ = ENVELOPE.get_or_init(|| Envelope::of(library));
}

/// The envelope of the loaded data.
pub(crate) fn envelope() -> Result<&'static Envelope, Failure> {
    ENVELOPE.get().ok_or_else(|| {
        Failure::Io("a JSON answer was written before the policy data was loaded".to_owned())
    })
}

/// A list answer, under `rows`.
#[derive(Serialize)]
struct Rows<'a, T: ?Sized> {
    rows: &'a T,
}

/// Writes `value` with the envelope's fields first, pretty.
pub(crate) fn write<T: Serialize + ?Sized>(
    w: &mut impl std::io::Write,
    value: &T,
) -> Result<(), serde_json::Error> {
    let envelope = envelope().map_err(|e| serde::ser::Error::custom(e.to_string()))?;
    match value.serialize(ShapeProbe) {
        Err(Shape::Object) => serde_json::to_writer_pretty(
            w,
            &Enveloped {
                envelope,
                answer: value,
            },
        ),
        _ => serde_json::to_writer_pretty(
            w,
            &Enveloped {
                envelope,
                answer: &Rows { rows: value },
            },
        ),
    }
}

/// What a value serialises as, found by starting to serialise it: the first call tells.
#[derive(Debug)]
enum Shape {
    Object,
    Other,
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Shape {}

impl serde::ser::Error for Shape {
    fn custom<M: std::fmt::Display>(_: M) -> Shape {
        Shape::Other
    }
}

/// A serializer that stops at the first call, with the shape it found as its error.
struct ShapeProbe;

macro_rules! other {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), Shape> { Err(Shape::Other) })*
    };
}

impl Serializer for ShapeProbe {
    type Ok = ();
    type Error = Shape;
    type SerializeSeq = Impossible<(), Shape>;
    type SerializeTuple = Impossible<(), Shape>;
    type SerializeTupleStruct = Impossible<(), Shape>;
    type SerializeTupleVariant = Impossible<(), Shape>;
    type SerializeMap = Impossible<(), Shape>;
    type SerializeStruct = Impossible<(), Shape>;
    type SerializeStructVariant = Impossible<(), Shape>;

    other!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Shape> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Shape> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Shape> {
        Err(Shape::Object)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Shape> {
        Err(Shape::Other)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Shape> {
        Err(Shape::Other)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Shape> {
        Err(Shape::Other)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Shape> {
        Err(Shape::Other)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Shape> {
        Err(Shape::Object)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Shape> {
        Err(Shape::Object)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Shape> {
        Err(Shape::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_told_from_lists_and_values() {
        let object = serde_json::json!({ "a": 1 });
        let list = serde_json::json!([1, 2]);
        let cases: [(&dyn erased::Probe, bool); 4] = [
            (&object, true),
            (&list, false),
            (&Some(std::collections::BTreeMap::<String, u8>::new()), true),
            (&"text", false),
        ];
        for (value, is_object) in cases {
            assert_eq!(value.is_object(), is_object);
        }
    }

    mod erased {
        pub(super) trait Probe {
            fn is_object(&self) -> bool;
        }
        impl<T: serde::Serialize> Probe for T {
            fn is_object(&self) -> bool {
                matches!(self.serialize(super::ShapeProbe), Err(super::Shape::Object))
            }
        }
    }
}
