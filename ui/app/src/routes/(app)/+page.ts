export const load = async ({ parent }) => {
  const data = await parent();
  return { defaultNamespace: data?.settings?.defaultNamespace };
};
