// hono-openapi's schema converters import the libraries of every validation
// vendor they support on demand (effect, valibot, sury, …). Kept uses zod 4,
// whose converter is built in, so for the Workers bundle those imports resolve
// here: a module with nothing in it, instead of a module workerd can't find.
export default undefined;
